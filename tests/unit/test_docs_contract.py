"""What the docs say about settings, dead-letter reasons and metrics is what the code does: the
settings table of docs/operations.md against Settings (names, variables, defaults), every
"`NEWSWIRE_X` (value)" in the docs, the dedup parameter table, the reasons a dead letter can give
(found in the code itself) against services/errors.py and docs/schemas.md, and every metric
name and label value the docs mention against the worker's metrics."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any, get_args

import pytest
from pydantic import SecretStr

from config.settings import Settings
from services.articles import WarningType
from services.dedup import DedupStatus
from services.errors import DEAD_LETTER_TYPES
from services.pipeline import OutcomeKind, TopicKind
from streams.metrics import DEPENDENCIES, VERSION_KINDS
from tests.support.metric_contract import NEWSWIRE_METRICS
from tools import ROOT

DOCS = [*sorted((ROOT / "docs").glob("*.md")), ROOT / "README.md"]
OPERATIONS_MD = ROOT / "docs" / "operations.md"
SCHEMAS_MD = ROOT / "docs" / "schemas.md"
_UNITS = {"": 1, "MiB": 2**20, "KiB": 2**10, "d": 86_400, "day": 86_400, "days": 86_400, "s": 1}


def section(text: str, heading: str) -> str:
    start = text.index(f"\n{heading}\n")
    end = text.find("\n## ", start + len(heading) + 2)
    return text[start : end if end > 0 else None]


def table_rows(text: str) -> list[list[str]]:
    return [
        [cell.strip() for cell in line.strip("|").split("|")]
        for line in text.splitlines()
        if line.startswith("| `")
    ]


def default_of(name: str) -> Any:
    value = Settings.model_fields[name].default
    return value.get_secret_value() if isinstance(value, SecretStr) else value


def same_value(documented: str, default: Any) -> bool:
    if default is None:
        return documented == "unset"
    if isinstance(default, bool) or not isinstance(default, int | float):
        return documented == (f"`{default}`" if default != "" else '`""`')
    return float(documented.strip("`")) == float(default)


# --------------------------------------------------------------------------- settings
def settings_table() -> dict[str, str]:
    rows = table_rows(section(OPERATIONS_MD.read_text("utf-8"), "## Settings"))
    documented = {}
    for variable, default, *_ in rows:
        name = re.fullmatch(r"`NEWSWIRE_([A-Z0-9_]+)`", variable)
        assert name, f"one variable per row: {variable}"
        documented[name[1]] = re.match(r"(`[^`]*`|unset)", default)[0]  # type: ignore[index]
    return documented


def test_every_setting_is_in_the_settings_table_under_its_variable_and_nothing_else_is() -> None:
    prefix = Settings.model_config["env_prefix"]
    assert prefix == "NEWSWIRE_"
    assert set(settings_table()) == {name.upper() for name in Settings.model_fields}


@pytest.mark.parametrize("name", list(Settings.model_fields))
def test_the_settings_table_gives_the_default_the_code_has(name: str) -> None:
    documented = settings_table()[name.upper()]
    assert same_value(documented, default_of(name)), f"NEWSWIRE_{name.upper()}: doc {documented}"


def test_a_documented_variable_is_read_by_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSWIRE_NEAR_DUPLICATE_THRESHOLD", "0.61")
    monkeypatch.setenv("NEWSWIRE_TOPIC_REPLICATION_FACTOR", "3")
    settings = Settings()
    assert (settings.near_duplicate_threshold, settings.topic_replication_factor) == (0.61, 3)


def prose_mentions() -> list[tuple[Path, str, str]]:
    """``(doc, field, value)`` for every "`NEWSWIRE_X` (N unit ...)" in the docs."""
    found = []
    for doc in DOCS:
        text = doc.read_text("utf-8")
        for name, inside in re.findall(r"`NEWSWIRE_([A-Z0-9_]+)` \(([^)]*)\)", text):
            if re.match(r"[\d.,]+", inside):
                found.append((doc, name.lower(), inside))
    return found


def test_every_default_quoted_in_the_prose_of_the_docs_is_the_codes() -> None:
    mentions = prose_mentions()
    assert len(mentions) >= 5
    for doc, name, inside in mentions:
        assert quoted_number(inside) == float(default_of(name)), (
            f"{doc.name}: NEWSWIRE_{name.upper()} ({inside})"
        )


def quoted_number(text: str) -> float:
    """``4,096`` -> 4096.0, ``4 MiB`` -> 4194304.0, ``7 days`` -> 604800.0."""
    found = re.match(r"([\d.,]+)\s*([A-Za-z]*)", text)
    assert found and found[2] in _UNITS, text
    return float(found[1].replace(",", "")) * _UNITS[found[2]]


def test_the_dedup_parameter_table_gives_the_codes_defaults() -> None:
    rows = [
        r
        for r in table_rows((ROOT / "docs" / "dedup.md").read_text("utf-8"))
        if r[0].strip("`") in Settings.model_fields
    ]
    assert {r[0].strip("`") for r in rows} >= {
        "near_duplicate_threshold",
        "shingle_size",
        "lsh_bands",
        "minhash_permutations",
    }
    for name, value, *_ in rows:
        assert quoted_number(value) == float(default_of(name.strip("`"))), f"dedup.md {name}: {value}"


def test_the_docs_say_near_copies_are_found_on_word_shingles_of_the_configured_size() -> None:
    words = {1: "single words", 2: "bigrams", 3: "3-shingles"}[default_of("shingle_size")]
    text = SCHEMAS_MD.read_text("utf-8")
    near = next(
        line for line in text.splitlines() if line.startswith('| `dedup.status` | `"exact_duplicate"`')
    )
    assert words in near and "3-shingles" not in near.replace(words, "")


# --------------------------------------------------------------------------- dead letters
_RAISERS = {"InvalidArticle": "validate", "ProcessingFailed": None, "Unreadable": "decode"}


def reasons_in_the_code() -> dict[str, set[str]]:
    """Every dead-letter reason the code gives, with its stage(s), read from the source:
    ``InvalidArticle``/``ProcessingFailed``/``Unreadable`` calls with a literal reason (an
    ``Unreadable`` is dead-lettered at ``decode``), and ``_dead_letter(message, reason, text, stage)``."""
    found: dict[str, set[str]] = {}
    for path in [*(ROOT / "services").rglob("*.py"), *(ROOT / "streams").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            callee = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            args = node.args
            if callee in _RAISERS and args and isinstance(args[0], ast.Constant):
                stage: Any = _RAISERS[callee]
                if len(args) >= 3 and isinstance(args[2], ast.Constant):
                    stage = args[2].value
                for keyword in node.keywords:
                    if keyword.arg == "stage" and isinstance(keyword.value, ast.Constant):
                        stage = keyword.value.value
                assert stage, f"{path}: {ast.unparse(node)}"
                found.setdefault(args[0].value, set()).add(stage)
            elif callee == "_dead_letter" and len(args) >= 4 and isinstance(args[1], ast.Constant):
                found.setdefault(args[1].value, set()).add(args[3].value)  # type: ignore[attr-defined]
    return found


def test_the_dead_letter_registry_holds_exactly_the_reasons_the_code_gives_with_their_stage() -> None:
    in_code = reasons_in_the_code()
    assert len(in_code) >= 20
    assert {reason: {stage} for reason, stage in DEAD_LETTER_TYPES.items()} == in_code


def test_schemas_doc_lists_every_dead_letter_reason() -> None:
    row = next(r for r in table_rows(SCHEMAS_MD.read_text("utf-8")) if r[0] == "`error.type`")
    retired = {"unsupported_language", "invalid_published_at"}  # named as no longer produced
    listed = set(re.findall(r"`([a-z0-9_]+)`", row[2])) - retired
    assert listed == set(DEAD_LETTER_TYPES)
    stage_row = next(r for r in table_rows(SCHEMAS_MD.read_text("utf-8")) if r[0] == "`error.stage`")
    assert set(re.findall(r"`([a-z]+)`", stage_row[2])) == set(DEAD_LETTER_TYPES.values())


# --------------------------------------------------------------------------- metrics
def test_every_metric_the_docs_name_is_one_the_worker_exposes() -> None:
    known = set(NEWSWIRE_METRICS)
    named = 0
    for doc in [*DOCS, ROOT / "config" / "prometheus" / "alerts.yml"]:
        for name in re.findall(r"\bnewswire_[a-z0-9_]+[a-z0-9]", doc.read_text("utf-8")):
            base = re.sub(r"_(bucket|sum|count)$", "", name)
            if name.startswith(("newswire_dedup_claim", "newswire_enriched", "newswire_duplicate")):
                continue  # file names and schema ids, not metrics
            assert name in known or base in known, f"{doc.name}: {name}"
            named += 1
    assert named > 40


_LABEL_VALUES = {
    ("newswire_articles_processed_total", "outcome"): set(get_args(OutcomeKind)),
    ("newswire_records_published_total", "topic"): set(get_args(TopicKind)),
    ("newswire_dlq_records_total", "stage"): set(DEAD_LETTER_TYPES.values()),
    ("newswire_dedup_decisions_total", "decision"): set(get_args(DedupStatus)),
    ("newswire_dependency_retries_total", "dependency"): set(DEPENDENCIES),
    ("newswire_input_warnings_total", "type"): set(get_args(WarningType)),
    ("newswire_article_versions_total", "kind"): set(VERSION_KINDS),
}


@pytest.mark.parametrize(("metric", "label"), list(_LABEL_VALUES))
def test_the_metrics_table_lists_the_label_values_the_code_uses(metric: str, label: str) -> None:
    rows = {
        r[0].strip("`"): r
        for r in table_rows(section(OPERATIONS_MD.read_text("utf-8"), "## Metrics reference"))
    }
    labels = rows[metric][2]
    values = re.search(rf"`{label}` = ([a-z0-9_, ]+)", labels)
    assert values, labels
    assert {v.strip() for v in values[1].split(",")} == _LABEL_VALUES[(metric, label)]
