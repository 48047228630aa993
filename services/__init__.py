"""Pure domain logic of newswire: no Kafka, no Faust, no metrics library in here."""

__version__ = "0.1.0"
