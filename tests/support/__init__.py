"""What several test folders share, defined once: inputs with sensible defaults (``builders``),
in-memory stand-ins for Redis and spaCy (``fakes``) and for the producer (``broker``), article
streams for the fault scenarios (``traffic``), the accounting of every input against the output
topics (``accounting``), probes of a running worker (``workers``) and the one ``wait_until``
(``waiting``)."""
