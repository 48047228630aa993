"""The PETRARCH2 dictionary reader of tools/derive_nlp_tables.py and the tables it shipped."""

from __future__ import annotations

from types import ModuleType

import pytest

from config import NLP_DATA_DIR


@pytest.fixture(scope="module")
def derive() -> ModuleType:
    from tools import derive_nlp_tables

    return derive_nlp_tables


def test_codes_pair_reverse_and_null(derive: ModuleType) -> None:
    assert derive.parse_code("[042:043]") == ("042", False)
    assert derive.parse_code("[:173]") == ("173", True)
    assert derive.parse_code("[---]") == ("", False)
    assert derive.parse_code("[110]---") == ("110", False)


def test_a_pattern_keeps_subject_particle_object_and_prepositions(derive: ModuleType) -> None:
    p = derive.parse_pattern(
        "- * POLICE (TO BORDER)                                [153]         # RUSH", "rush"
    )
    assert (p.object, p.preps, p.code, p.verb) == ("police", ["to border"], "153", "rush")
    p = derive.parse_pattern(
        "- * OUT {NEW STRATEGY}                               [014]         # SET", "arrange"
    )
    assert (p.particle, p.object) == ("out", "new strategy")
    p = derive.parse_pattern(
        "- &MILITARY * EXERCISES                              [062:062]     # STAGE", "arrange"
    )
    assert (p.subject, p.object, p.reverse) == ("&military", "exercises", False)
    p = derive.parse_pattern(
        "- * (BEFORE COURT)                                   [:173]        # APPEAR", "appear"
    )
    assert (p.preps, p.code, p.reverse) == (["before court"], "173", True)


def test_multi_word_verbs_name_their_verb_word(derive: ModuleType) -> None:
    [form] = derive.verb_forms("+CORDON_OFF {+CORDONED_OFF +CORDONS_OFF}", "cordon", "")
    assert (form.lemma, form.before, form.after) == ("cordon", "", "off")
    [form] = derive.verb_forms("WIRE_+TAP {WIRE_+TAPS}  [160]", "tap", "")
    assert (form.lemma, form.before, form.code) == ("tap", "wire", "160")


def test_actor_records_keep_dated_codes_and_synonyms(derive: ModuleType) -> None:
    lines = ["JOHN_HOWARD_  # CountryInfo.txt", "+JOHNNY_HOWARD_", "\t[AUSGOV 960311-071203]", "\t[AUSELI]"]
    [record] = list(derive.actor_records(lines))
    assert record.phrases == ["john howard", "johnny howard"]
    assert record.codes == [("AUSGOV", "19960311", "20071203"), ("AUSELI", "", "")]


def test_regular_plurals_follow_petrarch(derive: ModuleType) -> None:
    assert [derive.plural(w) for w in ("troop", "militia", "army", "boss")] == [
        "troops",
        "militias",
        "armies",
        "bosses",
    ]


def test_the_cameo_table_has_every_1_1b3_code_with_its_goldstein_value() -> None:
    rows = [
        line.split("\t")
        for line in (NLP_DATA_DIR / "cameo.tsv").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ][1:]
    codes = {row[0]: row for row in rows}
    assert len(codes) == 311
    assert {f"{r:02d}" for r in range(1, 21)} <= set(codes)
    assert {"0214", "0874", "1246", "1385", "1823", "2042"} <= set(codes)  # 4-digit leaves
    assert codes["057"][2] == "8.0" and codes["016"][2] == "-2.0" and codes["1823"][2] == "-10.0"
    for code, quad, _, _ in rows:
        root = int(code[:2])
        assert int(quad) == (1 if root <= 4 else 2 if root <= 8 else 3 if root <= 13 else 4)


def test_derived_tables_name_their_source_commit_and_licence() -> None:
    for path in sorted((NLP_DATA_DIR / "petrarch").glob("*.tsv")):
        head = path.read_text(encoding="utf-8").splitlines()[:3]
        assert "676801cd9cb2924bbbad09f86d15c9323e7097bf" in " ".join(head), path.name
        assert "MIT" in " ".join(head), path.name
    assert "MIT License" in (NLP_DATA_DIR / "petrarch" / "LICENSE").read_text(encoding="utf-8")
