"""Settings and the static data newswire loads (alias tables, taxonomy, schemas, ops files)."""

from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"
SCHEMA_DIR = Path(__file__).parent / "schemas"
#: The tables the NLP extractors load (services.nlp takes this path as an argument).
NLP_DATA_DIR = DATA_DIR / "nlp"
