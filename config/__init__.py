"""Settings and the static data newswire loads (alias tables, taxonomy, schemas, ops files)."""

from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"
SCHEMA_DIR = Path(__file__).parent / "schemas"
