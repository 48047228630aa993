"""Derive newswire's NLP tables from the PETRARCH2 / Phoenix coding dictionaries and the CAMEO
code list, deterministically (same inputs, byte-identical outputs).

    python -m tools.derive_nlp_tables /work/shared/reference/petrarch2

The first argument is a folder holding the dictionaries of openeventdata/petrarch2 at commit
676801cd9cb2924bbbad09f86d15c9323e7097bf (``petrarch2/data/dictionaries/`` of that commit, or
the copy in ``/work/shared/reference/petrarch2``); their SHA-256 digests are checked, so a
different version fails loudly instead of changing the tables silently. The CAMEO labels and
Goldstein values come from ``tools/nlp_sources/`` (see the README there).

Writes into ``config/data/nlp/`` (``--out`` to change):

- ``cameo.tsv``: every CAMEO 1.1b3 code with QuadClass, Goldstein value and label;
- ``petrarch/verbs.tsv``, ``petrarch/verb_patterns.tsv``, ``petrarch/synsets.tsv``: the verb
  dictionary (CAMEO.2.0.txt) as rows: verb forms with their block and default code, and the
  block's object / preposition patterns with their codes;
- ``petrarch/agents.tsv``: generic agents ("police", "troops") and their CAMEO agent code;
- ``petrarch/countries.tsv``, ``petrarch/people.tsv``, ``petrarch/groups.tsv``: actor phrases
  (country names and places, office holders with their dated codes, international and armed
  non-state organisations);
- ``petrarch/discards.tsv``: phrases that mark sport, entertainment and other copy not to code.

The format of every file is described in ``config/data/nlp/README.md``.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tools import ROOT

SOURCES = ROOT / "tools" / "nlp_sources"

PETRARCH_COMMIT = "676801cd9cb2924bbbad09f86d15c9323e7097bf"
PETRARCH_SHA256 = {
    "CAMEO.2.0.txt": "4a442ee42f7574651ec1c594f127353cdffbf18fa97b207ad5d8298a3cfaa08f",
    "Phoenix.agents.txt": "336330de3ae91cb7daeeb50a7320ff4c9f11e5e69b6dd3a4ebedc522751a95c6",
    "Phoenix.Countries.actors.txt": "8d4ee11692ccb1636a5cf4421849c420508acbd9b930adab457472b843276506",
    "Phoenix.International.actors.txt": "6fafbbe39bc47858edb9262411ab005b97977818237f85f3808fd11701a3ad2c",
    "Phoenix.MilNonState.actors.txt": "78496d642ceb3501137f12a3d8af7820b139319200b5ecffa05f0f91a2508f3b",
    "Phoenix.discards.txt": "862e66f907e520906142fff15a2be58c540c11f2ebdc0610e97fe45c36ed067a",
}

HEADER = (
    "# Derived by tools/derive_nlp_tables.py from openeventdata/petrarch2 ({file}) at commit\n"
    f"# {PETRARCH_COMMIT}. Copyright (c) 2014-2015 Open Event Data Alliance, MIT licence\n"
    "# (config/data/nlp/petrarch/LICENSE). Do not edit: re-run the script.\n"
)

#: Adverbial particles of phrasal verbs in the patterns ("SET OUT VIEWS", "PUT DOWN RIOT").
PARTICLES = frozenset(
    {"out", "up", "down", "off", "back", "away", "aside", "forward", "over", "in", "on", "about", "around"}
    | {"through", "along", "apart", "together"}
)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_lines(path: Path) -> list[str]:
    # The dictionaries are ASCII with a few Latin-1 bytes in comments.
    return path.read_bytes().decode("latin-1").splitlines()


def strip_comment(line: str) -> str:
    return line.split("#", 1)[0].rstrip()


def words_of(phrase: str) -> list[str]:
    """'JOHN_HOWARD_' -> ['john', 'howard']; 'FLY {FLIES FLEW}' handled by the callers."""
    return [w for w in re.split(r"[_\s]+", phrase.strip().lower()) if w]


def plural(word: str) -> str:
    """PETRARCH's regular plural: +S, +IES after Y, +ES after SS."""
    if word.endswith("ss"):
        return word + "es"
    if word.endswith("y") and len(word) > 1 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


# --- CAMEO codes -------------------------------------------------------------------------------


def quad_class(code: str) -> int:
    root = int(code[:2])
    return 1 if root <= 4 else 2 if root <= 8 else 3 if root <= 13 else 4


def derive_cameo(out: Path) -> int:
    labels: dict[str, str] = {}
    for line in (SOURCES / "cameo-1.1b3-labels.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        code, label = line.split("\t")
        labels[code] = label
    goldstein: dict[str, str] = {}
    for line in (SOURCES / "CAMEO.goldsteinscale.txt").read_text(encoding="utf-8").splitlines()[1:]:
        code, value = line.split("\t")
        goldstein[code] = f"{float(value):.1f}"
    if set(labels) != set(goldstein):
        raise SystemExit(f"label and Goldstein code sets differ: {sorted(set(labels) ^ set(goldstein))}")
    rows = [
        "# CAMEO 1.1b3 event codes (all, 4-digit leaves included): code, QuadClass, Goldstein, label.",
        "# Labels: CAMEO codebook v1.1b3 (Schrodt 2012). Goldstein values: GDELT 1.0's",
        "# CAMEO.goldsteinscale.txt (after Goldstein 1992). See tools/nlp_sources/README.md.",
        "# QuadClass: 1 verbal cooperation (01-04), 2 material cooperation (05-08), 3 verbal conflict",
        "# (09-13), 4 material conflict (14-20). Derived by tools/derive_nlp_tables.py; do not edit.",
        "code\tquad_class\tgoldstein\tlabel",
    ]
    for code in sorted(labels, key=lambda c: (c[:2], c)):
        rows.append(f"{code}\t{quad_class(code)}\t{goldstein[code]}\t{labels[code]}")
    (out / "cameo.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return len(labels)


# --- the verb dictionary -------------------------------------------------------------------


@dataclass
class VerbForm:
    lemma: str
    before: str  # words before the verb in a multi-word verb ("wire" in WIRE_+TAP)
    after: str  # words after it ("off" in +CORDON_OFF)
    block: str
    code: str


@dataclass
class Pattern:
    block: str
    subject: str
    object: str
    particle: str
    preps: list[str] = field(default_factory=list)
    code: str = ""
    reverse: bool = False
    verb: str = ""  # the verb the pattern was written for (the source's comment)


def parse_code(raw: str) -> tuple[str, bool]:
    """'[042:043]' -> ('042', False); '[:173]' -> ('173', True); '[---]' -> ('', False)."""
    inside = re.search(r"\[([^\]]*)\]", raw)  # "[110]---": a typo in a few block headers
    raw = (inside.group(1) if inside else raw).strip()
    first, _, second = raw.partition(":")
    first, second = first.strip(), second.strip()
    if not first and second and second != "---":
        return second, True
    if first == "---" or not first:
        return "", False
    return first, False


def verb_forms(line: str, block: str, block_code: str) -> list[VerbForm]:
    body = strip_comment(line)
    code = block_code
    m = re.search(r"\[([^\]]*)\]", body)
    if m:
        code, _ = parse_code(m.group(0))
        body = body[: m.start()]
    body = re.sub(r"\{[^}]*\}", "", body).strip()
    if not body:
        return []
    phrase = body.split()[0]
    parts = [p for p in phrase.lower().split("_") if p]
    if "+" in phrase:
        at = next(i for i, p in enumerate(parts) if p.startswith("+"))
        lemma = parts[at].lstrip("+")
        return [VerbForm(lemma, " ".join(parts[:at]), " ".join(parts[at + 1 :]), block, code)]
    return [VerbForm(parts[0], "", " ".join(parts[1:]), block, code)]


def split_phrases(text: str) -> list[str]:
    """Top-level items of a pattern half: words, {braced phrases}, (prep phrases)."""
    items: list[str] = []
    depth_char = {"{": "}", "(": ")"}
    i = 0
    while i < len(text):
        c = text[i]
        if c.isspace():
            i += 1
            continue
        if c in depth_char:
            close = depth_char[c]
            j = i + 1
            depth = 1
            while j < len(text) and depth:
                if text[j] == c:
                    depth += 1
                elif text[j] == close:
                    depth -= 1
                j += 1
            items.append(text[i:j])
            i = j
            continue
        j = i
        while j < len(text) and not text[j].isspace() and text[j] not in "{(":
            j += 1
        items.append(text[i:j])
        i = j
    return items


def phrase_words(item: str) -> str:
    return " ".join(words_of(item.strip("{}")))


def parse_pattern(line: str, block: str) -> Pattern | None:
    body = strip_comment(line)
    comment = line.split("#", 1)[1].strip() if "#" in line else ""
    m = re.search(r"\[([^\]]*)\]\s*$", body)
    if not m or "*" not in body:
        return None
    code, reverse = parse_code(m.group(0))
    halves = body[1 : m.start()].split("*", 1)
    pre = [i for i in split_phrases(halves[0]) if i not in {"$", "+", "^", "%"}]
    post = [i for i in split_phrases(halves[1]) if i not in {"$", "+", "^", "%"}]
    pattern = Pattern(block=block, subject="", object="", particle="", code=code, reverse=reverse)
    pattern.verb = comment.split()[0].lower() if comment else ""
    pattern.subject = " ".join(phrase_words(i) for i in pre if not i.startswith("("))
    nouns: list[str] = []
    for item in post:
        if item.startswith("("):
            inner = split_phrases(item[1:-1])
            inner = [i for i in inner if i not in {"$", "+", "^", "%"}]
            if not inner:
                continue
            prep = inner[0].lower()
            obj = " ".join(phrase_words(i) for i in inner[1:])
            pattern.preps.append(f"{prep} {obj}".strip())
        elif not nouns and not pattern.object and item.lower() in PARTICLES and not pattern.particle:
            pattern.particle = item.lower()
        else:
            nouns.append(phrase_words(item))
    # A bare word after the object is usually a second noun of TABARI's flat patterns
    # ("TALKS (IN ^)", "CONFERENCE &MILITARY"): the first noun is the object head's phrase.
    pattern.object = nouns[0] if nouns else ""
    if not (pattern.subject or pattern.object or pattern.particle or pattern.preps):
        return None
    return pattern


def derive_verbs(src: Path, out: Path) -> tuple[int, int, int]:
    lines = read_lines(src / "CAMEO.2.0.txt")
    synsets: dict[str, list[str]] = {}
    forms: list[VerbForm] = []
    patterns: list[Pattern] = []
    section = ""
    current_synset: str | None = None
    block, block_code = "", ""
    for line in lines:
        if line.startswith("####"):
            section = line.strip("# ").lower()
            continue
        stripped = strip_comment(line).strip()
        if not stripped:
            continue
        if section.startswith("synonym"):
            if stripped.startswith("&"):
                current_synset = stripped.split()[0]
                synsets[current_synset] = []
            elif stripped.startswith("+") and current_synset:
                word = stripped[1:].split()[0]
                no_plural = word.endswith("_") or current_synset.endswith("_")
                phrase = " ".join(words_of(word))
                synsets[current_synset].append(phrase)
                if not no_plural:
                    head = phrase.split()
                    head[-1] = plural(head[-1])
                    synsets[current_synset].append(" ".join(head))
            continue
        if section.startswith("verb patterns"):
            m = re.match(r"^---\s+(\S+)\s+(\[[^\]]*\])", line)
            if m:
                block = m.group(1).lower()
                block_code, _ = parse_code(m.group(2))
                continue
            if stripped.startswith("-"):
                pattern = parse_pattern(line, block)
                if pattern is not None:
                    patterns.append(pattern)
                continue
            forms.extend(verb_forms(line, block, block_code))
    write_tsv(
        out / "verbs.tsv",
        "CAMEO.2.0.txt",
        "lemma\tbefore\tafter\tblock\tcode",
        sorted({(f.lemma, f.before, f.after, f.block, f.code) for f in forms}),
    )
    write_tsv(
        out / "verb_patterns.tsv",
        "CAMEO.2.0.txt",
        "block\tsubject\tparticle\tobject\tpreps\tcode\treverse\tverb",
        [
            (
                p.block,
                p.subject,
                p.particle,
                p.object,
                ";".join(p.preps),
                p.code,
                "1" if p.reverse else "",
                p.verb,
            )
            for p in patterns
        ],
    )
    write_tsv(
        out / "synsets.tsv",
        "CAMEO.2.0.txt",
        "synset\tphrase",
        [(name.lower(), phrase) for name, phrases in synsets.items() for phrase in dict.fromkeys(phrases)],
    )
    return len(forms), len(patterns), len(synsets)


# --- agents -------------------------------------------------------------------------------


def derive_agents(src: Path, out: Path) -> int:
    substitutions: dict[str, list[str]] = {}
    rows: list[tuple[str, str]] = []
    for line in read_lines(src / "Phoenix.agents.txt"):
        body = strip_comment(line).strip()
        if not body or body.startswith("<"):
            continue
        m = re.match(r"^(!\w+!)\s*=\s*(.+)$", body)
        if m:
            substitutions[m.group(1)] = [w.strip() for w in m.group(2).split(",")]
            continue
        m = re.match(r"^(.*?)\s*(\{[^}]*\})?\s*\[([^\]]*)[\]}]\s*$", body)
        if not m:
            continue
        phrase, plural_spec, code = m.group(1).strip(), m.group(2), m.group(3).strip()
        code = code.replace("~", "")
        variants = [phrase]
        for marker, values in substitutions.items():
            if marker in phrase:
                variants = [v.replace(marker, value) for v in variants for value in values]
        for variant in variants:
            words = words_of(variant)
            if not words:
                continue
            rows.append((" ".join(words), code))
            explicit = plural_spec is not None
            if explicit and plural_spec.strip("{} "):
                for form in plural_spec.strip("{}").split():
                    rows.append((" ".join(words_of(form)), code))
            elif not explicit and "!" not in phrase and not variant.endswith("_"):
                rows.append((" ".join([*words[:-1], plural(words[-1])]), code))
    rows = sorted(dict.fromkeys(rows))
    write_tsv(out / "agents.tsv", "Phoenix.agents.txt", "phrase\tcode", rows)
    return len(rows)


# --- actors ----------------------------------------------------------------------------------


@dataclass
class ActorRecord:
    phrases: list[str]
    codes: list[tuple[str, str, str]]  # (code, from, to) with YYYYMMDD dates or ""


def _date(text: str) -> str:
    text = text.strip()
    if len(text) == 6:  # YYMMDD: PETRARCH reads 00-29 as 20xx
        year = int(text[:2])
        return f"{2000 + year if year < 30 else 1900 + year}{text[2:]}"
    return text


def parse_restriction(raw: str) -> tuple[str, str, str] | None:
    parts = raw.strip().strip("[]").split()
    if not parts or parts[0] == "---":
        return None
    code = parts[0]
    if len(parts) == 1:
        return code, "", ""
    spec = parts[1]
    if spec.startswith("<"):
        return code, "", _date(spec[1:])
    if spec.startswith(">"):
        return code, _date(spec[1:]), ""
    start, _, end = spec.partition("-")
    return code, _date(start), _date(end)


def actor_records(lines: Iterable[str]) -> Iterator[ActorRecord]:
    current: ActorRecord | None = None
    for line in lines:
        if line.startswith("#") or not line.strip():
            continue
        body = strip_comment(line)
        if not body.strip():
            continue
        restrictions = [r for r in (parse_restriction(x) for x in re.findall(r"\[[^\]]*\]", body)) if r]
        text = re.sub(r"\[[^\]]*\]", "", body).strip()
        if line[0] in " \t":
            if current is not None:
                current.codes.extend(restrictions)
            continue
        if text.startswith("+"):
            if current is not None:
                current.phrases.extend(" ".join(words_of(p)) for p in text[1:].split("+") if words_of(p))
                current.codes.extend(restrictions)
            continue
        if current is not None:
            yield current
        current = ActorRecord(
            phrases=[" ".join(words_of(text))] if words_of(text) else [], codes=restrictions
        )
    if current is not None:
        yield current


def derive_actors(src: Path, out: Path) -> tuple[int, int, int]:
    countries: list[tuple[str, str, str]] = []
    people: list[tuple[str, str, str, str]] = []
    groups: list[tuple[str, str]] = []
    for record in actor_records(read_lines(src / "Phoenix.Countries.actors.txt")):
        if not record.phrases:
            continue
        codes = [c for c, _, _ in record.codes]
        if codes and re.fullmatch(r"[A-Z]{3}", codes[0]) and len(codes) == 1:
            for n, phrase in enumerate(record.phrases):
                countries.append((phrase, codes[0], "name" if n == 0 else "alias"))
        elif (
            codes
            and len(codes[0]) > 3
            and not record.codes[0][1]
            and not record.codes[0][2]
            and len(codes) == 1
        ):
            # a dependency or region coded under its state ("GREENLAND_ [DNKGRL]")
            for phrase in record.phrases:
                countries.append((phrase, codes[0], "territory"))
        else:
            for phrase in record.phrases:
                for code, start, end in record.codes:
                    people.append((phrase, code, start, end))
    for name in ("Phoenix.International.actors.txt", "Phoenix.MilNonState.actors.txt"):
        for record in actor_records(read_lines(src / name)):
            if not record.phrases or not record.codes:
                continue
            dated = any(start or end for _, start, end in record.codes)
            looks_personal = dated or any(code in {"ELI"} for code, _, _ in record.codes)
            for phrase in record.phrases:
                if looks_personal:
                    for code, start, end in record.codes:
                        people.append((phrase, code, start, end))
                else:
                    groups.append((phrase, record.codes[0][0]))
    write_tsv(
        out / "countries.tsv", "Phoenix.Countries.actors.txt", "phrase\tcode\tkind", sorted(set(countries))
    )
    write_tsv(
        out / "people.tsv",
        "Phoenix.Countries.actors.txt, Phoenix.International.actors.txt, Phoenix.MilNonState.actors.txt",
        "phrase\tcode\tfrom\tto",
        sorted(set(people)),
    )
    write_tsv(
        out / "groups.tsv",
        "Phoenix.International.actors.txt, Phoenix.MilNonState.actors.txt",
        "phrase\tcode",
        sorted(set(groups)),
    )
    return len(set(countries)), len(set(people)), len(set(groups))


# --- discards --------------------------------------------------------------------------------


def derive_discards(src: Path, out: Path) -> int:
    rows: list[tuple[str, str, str]] = []
    for line in read_lines(src / "Phoenix.discards.txt"):
        body = strip_comment(line).strip()
        if not body:
            continue
        scope = "story" if body.startswith("+") else "sentence"
        phrase = body.lstrip("+").strip()
        exact = "exact" if phrase.endswith("_") else "stem"
        words = " ".join(words_of(phrase))
        if words:
            rows.append((words, scope, exact))
    rows = sorted(dict.fromkeys(rows))
    write_tsv(out / "discards.tsv", "Phoenix.discards.txt", "phrase\tscope\tmatch", rows)
    return len(rows)


# --- output ----------------------------------------------------------------------------------


def write_tsv(path: Path, source: str, header: str, rows: Iterable[tuple[str, ...]]) -> None:
    text = HEADER.format(file=source) + header + "\n"
    text += "".join("\t".join(row) + "\n" for row in rows)
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("petrarch", type=Path, help="folder with the PETRARCH2 dictionaries")
    parser.add_argument("--out", type=Path, default=ROOT / "config" / "data" / "nlp")
    args = parser.parse_args(argv)
    for name, digest in PETRARCH_SHA256.items():
        found = sha256(args.petrarch / name)
        if found != digest:
            print(f"{name}: SHA-256 {found} is not the file at commit {PETRARCH_COMMIT}", file=sys.stderr)
            return 1
    petrarch_out = args.out / "petrarch"
    petrarch_out.mkdir(parents=True, exist_ok=True)
    (petrarch_out / "LICENSE").write_bytes((args.petrarch / "LICENSE").read_bytes())
    print(f"cameo.tsv: {derive_cameo(args.out)} codes")
    forms, patterns, synsets = derive_verbs(args.petrarch, petrarch_out)
    print(
        f"verbs.tsv: {forms} verb forms; verb_patterns.tsv: {patterns} patterns; synsets.tsv: {synsets} sets"
    )
    print(f"agents.tsv: {derive_agents(args.petrarch, petrarch_out)} agent phrases")
    countries, people, groups = derive_actors(args.petrarch, petrarch_out)
    print(f"countries.tsv: {countries}; people.tsv: {people}; groups.tsv: {groups}")
    print(f"discards.tsv: {derive_discards(args.petrarch, petrarch_out)} phrases")
    return 0


if __name__ == "__main__":
    sys.exit(main())
