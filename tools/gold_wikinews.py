"""Build the Wikinews gold set (tests/data/gold-wikinews) from the GUM corpus's own annotation.

``python -m tools.gold_wikinews --gum-git /work/.mirror/amir-zeldes+gum/repo [--commit C]``

Reads the 24 ``dep/GUM_news_*.conllu`` files of a GUM checkout (git directory, read with
``git show``): the full GUM entity layer (every mention, singletons too, with its entity type
and Wikification identity) sits in the MISC column's ``Entity=`` brackets
(``(GRP-etype-infstat-salience-centering-minspan-link-identity``). Keeps the person, place and
organisation chains that have a proper-name mention, turns them into the project's gold entities
with the hand-written table ``source/entities.json`` (ids, GPE/LOC, countries), and merges the
hand-annotated events of ``source/events/<doc>.json`` when present. The conversion rules are in
tests/data/gold-wikinews/README.md.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from services.nlp.names import slugify
from tools import ROOT

GOLD_DIR = ROOT / "tests" / "data" / "gold-wikinews"
SOURCE_DIR = GOLD_DIR / "source"

DEV_DOCS = [
    "afghan",
    "clock",
    "defector",
    "expo",
    "hackers",
    "ie9",
    "iodine",
    "lanterns",
    "questionnaire",
    "soccer",
    "taxes",
    "warming",
]
TEST_DOCS = [
    "asylum",
    "crane",
    "election",
    "flag",
    "homeopathic",
    "imprisoned",
    "korea",
    "nasa",
    "sensitive",
    "stampede",
    "warhol",
    "worship",
]

#: GUM entity types kept, and the gold type they become unless the table says otherwise.
KEPT_TYPES = {"person": "PERSON", "organization": "ORG", "place": "GPE"}

#: Dependency relations a proper name is built of (UD, GUM flavour). A person's name is its head
#: and flat/compound parts only, so GUM's title modifiers (``nmod:desc``: "President", "Afghan
#: Ambassador to the United States") and possessors stay out; an organisation's or place's name
#: may also hold nominal modifiers and their prepositions ("University of Southern Indiana").
PERSON_NAME_RELATIONS = frozenset({"flat", "compound", "goeswith", "fixed", "punct"})
OTHER_NAME_RELATIONS = PERSON_NAME_RELATIONS | {"nmod", "case", "det", "amod", "cc", "conj", "nummod"}
#: Words a name may not start or end with ("the Taliban" -> "Taliban"; the guide's "the United
#: States" is the one exception it makes, and scoring never looks at non-person mention strings).
_EDGE_WORDS = frozenset({"of", "the", "and", "for", "&", "on", "at", "in", "'s", "'", "-", ",", "."})
#: Lower-case words a name runs through ("Council on American-Islamic Relations", "University of
#: North Carolina at Greensboro"); any other lower-case word ends it ("mainland Australia", "the
#: Plains of Arafat on the day of Hajj", "the museum in New York City").
_NAME_INNER_WORDS = frozenset({"of", "the", "and", "for", "&", "on", "at", "-", "'s"})
#: Title words: a person "name" headed by one is a title, not a name ("NASA Administrator",
#: "Home Secretary", "Democrat MP"), though GUM tags titles as proper nouns.
PERSON_TITLE_HEADS = frozenset(
    [
        "president",
        "minister",
        "secretary",
        "director",
        "chairman",
        "administrator",
        "senator",
        "commissioner",
        "undersecretary",
        "spokesperson",
        "spokesman",
        "republican",
        "democrat",
        "mp",
        "student",
        "man",
    ]
)
#: Honorifics before a person's name, which the guide keeps out of mentions ("Emeritus
#: Professor John Burrows" -> "John Burrows").
PERSON_HONORIFICS = frozenset(
    [
        "emeritus",
        "professor",
        "prof.",
        "mr",
        "mr.",
        "ms",
        "ms.",
        "mrs",
        "mrs.",
        "dr",
        "dr.",
        "sir",
        "major",
        "general",
    ]
)


def person_surface(surface: str) -> str | None:
    """A person mention without leading honorifics; None when what is left is a title."""
    words = surface.split(" ")
    while len(words) > 1 and words[0].lower() in PERSON_HONORIFICS:
        words = words[1:]
    if words[-1].lower() in PERSON_TITLE_HEADS:
        return None
    return " ".join(words)


@dataclass(slots=True)
class Token:
    form: str
    upos: str
    xpos: str
    head: int
    deprel: str  # sentence-local 1-based id of the head, 0 for the root
    start: int | None = None  # offsets in the body; None in a heading
    end: int | None = None


@dataclass(slots=True)
class Mention:
    group: str  # GUM's entity (chain) number inside the document
    etype: str
    identity: str | None
    sentence: int
    first: int  # 1-based token ids, inclusive
    last: int


@dataclass(slots=True)
class GumDoc:
    name: str
    meta: dict[str, str]
    body: str
    sentences: list[list[Token]] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)


def _is_paragraph_start(line: str) -> bool:
    return line.startswith("# newpar_block") or line == "# newpar"


def parse_conllu(name: str, text: str) -> GumDoc:
    """The document's meta lines, body and entity mentions.

    Body rule (the one the event annotators' text dump uses): every sentence's ``# text`` outside
    heading blocks (``# newpar_block = head ...``), sentences of a paragraph joined by one space,
    paragraphs by a blank line."""
    meta: dict[str, str] = {}
    paragraphs: list[list[str]] = []
    in_head = False
    sentence_texts: list[tuple[str, bool]] = []  # (text, in body)
    token_rows: list[list[list[str]]] = []
    for line in text.splitlines():
        if line.startswith("# meta::"):
            key, _, value = line[8:].partition(" = ")
            meta[key] = value
        elif _is_paragraph_start(line):
            in_head = "head" in line
            if not in_head:
                paragraphs.append([])
        elif line.startswith("# text = "):
            sentence_texts.append((line[9:], not in_head))
            token_rows.append([])
            if in_head:
                continue
            if not paragraphs:
                paragraphs.append([])
            paragraphs[-1].append(line[9:])
        elif line and not line.startswith("#"):
            token_rows[-1].append(line.split("\t"))
    kept = [p for p in paragraphs if p]
    body = "\n\n".join(" ".join(p) for p in kept)
    doc = GumDoc(name=name, meta=meta, body=body)
    sentence_offsets = _sentence_offsets(kept)
    body_index = 0
    for s_index, ((s_text, in_body), rows) in enumerate(zip(sentence_texts, token_rows, strict=True)):
        base = None
        if in_body:
            base = sentence_offsets[body_index]
            body_index += 1
        tokens, mentions = _read_tokens(s_text, rows, base, s_index)
        doc.sentences.append(tokens)
        doc.mentions.extend(mentions)
    return doc


def _sentence_offsets(paragraphs: list[list[str]]) -> list[int]:
    offsets, at = [], 0
    for p_index, paragraph in enumerate(paragraphs):
        if p_index:
            at += 2
        for s_index, sentence in enumerate(paragraph):
            if s_index:
                at += 1
            offsets.append(at)
            at += len(sentence)
    return offsets


_OPEN = re.compile(r"\((\d+)-([^()]*)")
_CLOSE = re.compile(r"(\d+)\)")


def _read_tokens(
    s_text: str, rows: list[list[str]], base: int | None, s_index: int
) -> tuple[list[Token], list[Mention]]:
    """Tokens with body offsets (aligned on the sentence text; a multiword token's span goes to
    each of its words) and the sentence's mentions from the Entity brackets."""
    tokens: list[Token] = []
    mentions: list[Mention] = []
    open_stack: dict[str, list[tuple[str, str | None, int]]] = {}
    cursor = 0
    range_span: tuple[int, int, int] | None = None  # (last word id, start, end)
    for row in rows:
        tid, form = row[0], row[1]
        if "." in tid:
            continue
        if "-" in tid:
            at = s_text.find(form, cursor)
            last = int(tid.split("-")[1])
            range_span = (last, at, at + len(form))
            cursor = at + len(form)
            continue
        word_id = int(tid)
        if range_span is not None and word_id <= range_span[0]:
            start, end = range_span[1], range_span[2]
        else:
            range_span = None
            start = s_text.find(form, cursor)
            if start < 0:
                raise ValueError(f"token {form!r} not in sentence {s_text!r}")
            end = start + len(form)
            cursor = end
        token = Token(form=form, upos=row[3], xpos=row[4], head=int(row[6]), deprel=row[7])
        if base is not None:
            token.start, token.end = base + start, base + end
        tokens.append(token)
        entity = next((m[7:] for m in row[9].split("|") if m.startswith("Entity=")), "")
        for match in _OPEN.finditer(entity):
            group, rest = match.group(1), match.group(2)
            fields = rest.split("-", 6)
            etype = fields[0]
            identity = unquote(fields[6]) if len(fields) > 6 and fields[6] else None
            closes_here = entity[match.end() : match.end() + 1] == ")"
            if closes_here:
                mentions.append(Mention(group, etype, identity, s_index, word_id, word_id))
            else:
                open_stack.setdefault(group, []).append((etype, identity, word_id))
        for match in _CLOSE.finditer(re.sub(r"\((\d+)-[^()]*\)", "", entity)):
            group = match.group(1)
            etype, identity, first = open_stack[group].pop()
            mentions.append(Mention(group, etype, identity, s_index, first, word_id))
    return tokens, mentions


def mention_head(tokens: list[Token], mention: Mention) -> int:
    """1-based id of the mention's syntactic head: its first word whose head lies outside it."""
    for i in range(mention.first, mention.last + 1):
        head = tokens[i - 1].head
        if not mention.first <= head <= mention.last:
            return i
    return mention.first


def name_span(
    tokens: list[Token], mention: Mention, others: Iterable[tuple[int, int]] = ()
) -> tuple[int, int] | None:
    """(first, last) word ids of the proper name a mention is headed by, or None when its head
    is not a proper noun: the contiguous run around the head of the words whose path up to the
    head goes through name relations only, without edge words ("the", "of", "'s", punctuation).
    'North Korea's main news agency' -> None (head 'agency'); 'Afghan Ambassador Hamdullah
    Mohib' -> 'Hamdullah Mohib'; 'the University of Southern Indiana' -> 'University of
    Southern Indiana'."""
    head = mention_head(tokens, mention)
    title_head = mention.etype == "person" and tokens[head - 1].form.lower() in PERSON_TITLE_HEADS
    if tokens[head - 1].upos != "PROPN" or title_head:
        # GUM heads "Facebook creator Mark Zuckerberg" by the common noun, the name hanging
        # from it as flat/appos words to its right.
        named = [
            i
            for i, t in enumerate(tokens, 1)
            if t.head == head
            and head < i <= mention.last
            and t.deprel in ("flat", "appos")
            and t.upos == "PROPN"
        ]
        if not named:
            return None
        return _run_from(tokens, mention, named)
    conjuncts = [i for i, t in enumerate(tokens, 1) if t.head == head and t.deprel == "conj"]
    inner = [
        (a, b)
        for a, b in others
        if mention.first <= a and b <= mention.last and (a, b) != (mention.first, mention.last)
    ]
    if any(a <= c <= b for c in conjuncts for a, b in inner):
        return None  # "Ben Chan and Leung Che-cheung" (two mentions inside): a group, not a name
    relations = PERSON_NAME_RELATIONS if mention.etype == "person" else OTHER_NAME_RELATIONS

    def in_name(i: int) -> bool:
        seen = 0
        while i != head:
            token = tokens[i - 1]
            if not mention.first <= i <= mention.last or token.deprel.split(":")[0] not in relations:
                return False
            if token.deprel in ("nmod:poss", "nmod:desc"):
                return False  # "Saudi Arabia's Civil Defense Authority": the owner is no part of the name
            if token.deprel == "punct" and token.form != "-":
                return False
            lower = token.form[:1].islower()
            glued = i > 1 and tokens[i - 2].form == "-" and tokens[i - 2].end == token.start
            if lower and not glued and token.form not in _NAME_INNER_WORDS and not token.form[:1].isdigit():
                return False
            i = token.head
            seen += 1
            if seen > len(tokens):
                return False
        return True

    first = last = head
    while first - 1 >= mention.first and in_name(first - 1):
        first -= 1
    while last + 1 <= mention.last and in_name(last + 1):
        last += 1
    while first < head and tokens[first - 1].form.lower() in _EDGE_WORDS:
        first += 1
    while last > head and tokens[last - 1].form.lower() in _EDGE_WORDS:
        last -= 1
    return first, last


def _run_from(tokens: list[Token], mention: Mention, named: list[int]) -> tuple[int, int]:
    """The contiguous words from the first of ``named`` on that are one of them or hang from one
    through name relations (flat, compound, a glued hyphen)."""

    def belongs(i: int) -> bool:
        steps = 0
        while i not in named:
            token = tokens[i - 1]
            if token.deprel.split(":")[0] not in PERSON_NAME_RELATIONS or token.deprel == "nmod:desc":
                return False
            if token.deprel == "punct" and token.form != "-":
                return False
            i = token.head
            steps += 1
            if i == 0 or steps > len(tokens):
                return False
        return True

    first = last = min(named)
    while last + 1 <= mention.last and belongs(last + 1):
        last += 1
    while tokens[last - 1].form in _EDGE_WORDS and last > first:
        last -= 1
    return first, last


def identity_title(identity: str) -> str:
    """A Wikification identity as text: 'Labour_Party_(Hong_Kong)' -> 'Labour Party'."""
    return re.sub(r"\s*\(.*\)$", "", identity.replace("_", " ")).strip()


@dataclass(slots=True)
class Chain:
    group: str
    etype: str
    identity: str | None
    names: list[str] = field(default_factory=list)  # body surface strings, in text order


def collect_chains(doc: GumDoc) -> list[Chain]:
    """The person/place/organisation chains with at least one proper-name mention in the body."""
    chains: dict[str, Chain] = {}
    for mention in sorted(doc.mentions, key=lambda m: (m.sentence, m.first, -m.last)):
        if mention.etype not in KEPT_TYPES:
            continue
        tokens = doc.sentences[mention.sentence]
        chain = chains.setdefault(mention.group, Chain(mention.group, mention.etype, None))
        if mention.identity and not chain.identity:
            chain.identity = mention.identity
        spans = [(m.first, m.last) for m in doc.mentions if m.sentence == mention.sentence]
        span = name_span(tokens, mention, spans)
        if span is None or tokens[span[0] - 1].start is None:
            continue
        start, end = tokens[span[0] - 1].start, tokens[span[1] - 1].end
        assert start is not None and end is not None
        surface = re.sub(r"['\u2019]s?$", "", doc.body[start:end])
        # The Wikipedia title inside a longer span is the name ('Colorado State University of
        # the US' -> 'Colorado State University').
        title = identity_title(mention.identity or chain.identity or "")
        if title and title != surface and re.search(r"(?<!\w)" + re.escape(title) + r"(?!\w)", surface):
            surface = title
        name = person_surface(surface) if mention.etype == "person" else surface
        if name and name not in chain.names:
            chain.names.append(name)
    return [c for c in chains.values() if c.names]


def _word_occurrences(mention: str, body: str) -> list[int]:
    return [m.start() for m in re.finditer(r"(?<!\w)" + re.escape(mention) + r"(?!\w)", body)]


def _free_occurrence(mention: str, body: str, others: Iterable[str]) -> bool:
    """True when ``mention`` occurs at least once outside every longer mention (the guide's
    maximal, non-nested spans)."""
    covered: set[int] = set()
    for longer in others:
        if mention in longer and longer != mention:
            for at in _word_occurrences(longer, body):
                covered.update(range(at, at + len(longer)))
    return any(at not in covered for at in _word_occurrences(mention, body))


def _default_id(gold_type: str, name: str) -> str:
    prefix = {"PERSON": "person", "ORG": "org", "GPE": "place", "LOC": "place"}[gold_type]
    return f"{prefix}:{slugify(name)}"


def _country_entry(iso3: str, countries: dict[str, str]) -> dict[str, Any]:
    identity = next((k for k, v in countries.items() if v == iso3 and "_team" not in k), iso3)
    return {"id": f"country:{iso3}", "name": identity_title(identity), "type": "GPE", "country": iso3}


def _override(overrides: dict[str, Any], doc_key: str, key: str, etype: str) -> dict[str, Any]:
    """The table's entry for a chain ('<doc>/<key>', then '<key>#<GUM type>' for an identity GUM
    gives both a place and an organisation, then '<key>'): a string (or null) is its country, an
    object its fields."""
    entry = overrides.get(f"{doc_key}/{key}", overrides.get(f"{key}#{etype}", overrides.get(key, {})))
    if entry is None or isinstance(entry, str):
        return {"country": entry}
    return dict(entry)


def _chain_name(chain: Chain) -> str:
    """The longest name the text gives; the Wikipedia title instead when the text only ever
    gives part of it ('Kamen' -> 'Dean Kamen'), as person ids are the full name's slug."""
    longest = max(chain.names, key=len)
    title = identity_title(chain.identity or "")
    if chain.etype == "person" and " " not in longest and title.endswith(" " + longest):
        return title
    return longest


def build_entities(
    doc_key: str, chains: list[Chain], body: str, table: dict[str, Any], report: list[str]
) -> list[dict[str, Any]]:
    """Gold entities from the chains, the table's overrides and the document's own edits."""
    countries: dict[str, str] = table.get("countries", {})
    overrides: dict[str, dict[str, Any]] = table.get("entities", {})
    doc_edits: dict[str, Any] = table.get("documents", {}).get(doc_key, {})
    dropped = set(doc_edits.get("drop_chains", [])) | set(table.get("drop", []))
    entities: dict[str, dict[str, Any]] = {}
    for chain in chains:
        key = chain.identity or f"{doc_key}/{chain.names[0]}"
        if key in dropped or f"{doc_key}/{key}" in dropped:
            continue
        if key in countries:
            entry = _country_entry(countries[key], countries)
        else:
            override = _override(overrides, doc_key, key, chain.etype)
            gold_type = override.get("type", KEPT_TYPES[chain.etype])
            name = override.get("name") or _chain_name(chain)
            entry = {
                "id": override.get("id") or _default_id(gold_type, name),
                "name": name,
                "type": gold_type,
                "country": override.get("country"),
            }
            if "country" not in override:
                report.append(f"{doc_key}: no country for {key!r} ({entry['id']})")
        merged = entities.setdefault(entry["id"], {**entry, "mentions": []})
        for surface in chain.names:
            if surface not in merged["mentions"]:
                merged["mentions"].append(surface)
    # The guide's demonym rule ('Afghan' in 'Afghan team' is the country), which GUM's
    # noun-phrase mentions do not mark.
    taken = [m for e in entities.values() for m in e["mentions"]]
    for demonym, iso3 in table.get("demonyms", {}).items():
        if _word_occurrences(demonym, body) and _free_occurrence(demonym, body, taken):
            entry = entities.setdefault(
                f"country:{iso3}", {**_country_entry(iso3, countries), "mentions": []}
            )
            if demonym not in entry["mentions"]:
                entry["mentions"].append(demonym)
    # Named entities GUM types otherwise (a website as an object) or leaves unannotated.
    for extra in doc_edits.get("add_entities", []):
        entities.setdefault(extra["id"], {**extra, "mentions": []})
    for surface, eid in doc_edits.get("add_mentions", {}).items():
        if eid.startswith("country:") and eid not in entities:
            entities[eid] = {**_country_entry(eid.split(":", 1)[1], countries), "mentions": []}
        if eid not in entities:
            report.append(f"{doc_key}: add_mentions {surface!r} -> unknown entity {eid}")
            continue
        entities[eid]["mentions"].append(surface)
    for dropped_mention in doc_edits.get("drop_mentions", []):
        # "surface" drops it from every entity, "surface@id" from that entity only.
        surface, _, only = dropped_mention.partition("@")
        for entity in entities.values():
            if surface in entity["mentions"] and only in ("", entity["id"]):
                entity["mentions"].remove(surface)
    # One surface string, one entity (the guide): the first entity in text order keeps it.
    owner: dict[str, str] = {}
    for entity in entities.values():
        for surface in list(entity["mentions"]):
            if surface in owner and owner[surface] != entity["id"]:
                report.append(
                    f"{doc_key}: {surface!r} in {owner[surface]} and {entity['id']}; kept the first"
                )
                entity["mentions"].remove(surface)
            else:
                owner[surface] = entity["id"]
    every = [m for e in entities.values() for m in e["mentions"]]
    out = []
    for entity in entities.values():
        entity["mentions"] = [m for m in entity["mentions"] if _free_occurrence(m, body, every)]
        if entity["mentions"]:
            out.append(entity)
    return out


def load_events(doc_key: str, events_dir: Path) -> list[dict[str, Any]] | None:
    """The hand-annotated events of a document (``<doc>.json`` or ``GUM_news_<doc>.json``), or
    None when none were written yet."""
    for name in (f"{doc_key}.json", f"GUM_news_{doc_key}.json"):
        path = events_dir / name
        if path.exists():
            events = json.loads(path.read_text(encoding="utf-8"))
            return list(events)
    return None


def check_events(
    doc_key: str, events: list[dict[str, Any]], entities: list[dict[str, Any]], body: str
) -> list[str]:
    """Event references the coordinator must reconcile: actor/target ids that are no entity of
    the document, and sentence_contains snippets that do not occur exactly once in the body."""
    ids = {e["id"] for e in entities}
    problems = []
    for index, event in enumerate(events):
        for role in ("actors", "targets"):
            for eid in event.get(role, []):
                if eid not in ids:
                    problems.append(
                        f"{doc_key}: event {index} ({event.get('code')}) {role[:-1]} {eid} is no entity"
                    )
        snippet = event.get("sentence_contains", "")
        if body.count(snippet) != 1:
            problems.append(
                f"{doc_key}: event {index} sentence_contains occurs {body.count(snippet)}x: {snippet!r}"
            )
    return problems


def convert(
    doc_key: str, conllu: str, table: dict[str, Any], events_dir: Path, report: list[str]
) -> dict[str, Any]:
    """One gold article from one GUM document."""
    doc = parse_conllu(f"GUM_news_{doc_key}", conllu)
    entities = build_entities(doc_key, collect_chains(doc), doc.body, table, report)
    events = load_events(doc_key, events_dir)
    article: dict[str, Any] = {
        "id": f"wikinews-{doc_key}",
        "split": "test" if doc_key in TEST_DOCS else "dev",
        "gum_doc": doc.name,
        "url": doc.meta["sourceURL"],
        "source": "Wikinews (GUM corpus)",
        "title": doc.meta["title"],
        "published_at": f"{doc.meta['dateCreated']}T00:00:00Z",
        "body": doc.body,
        "entities": entities,
        "events": events or [],
        "events_annotated": events is not None,
    }
    if events:
        report.extend(check_events(doc_key, events, entities, doc.body))
    return article


def _git_show(gum_git: Path, commit: str, path: str) -> str:
    return subprocess.run(
        ["git", "-C", str(gum_git), "show", f"{commit}:{path}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.gold_wikinews", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--gum-git", type=Path, required=True, help="git directory of a GUM checkout")
    parser.add_argument("--commit", default="72ce5ac14978a324c2fd18d49484e65292cbe316")
    parser.add_argument("--out", type=Path, default=GOLD_DIR)
    parser.add_argument(
        "--events-dir",
        type=Path,
        default=SOURCE_DIR / "events",
        help="hand-annotated events, <doc>.json each",
    )
    args = parser.parse_args(argv)
    table = json.loads((SOURCE_DIR / "entities.json").read_text(encoding="utf-8"))
    report: list[str] = []
    for doc_key in sorted(DEV_DOCS + TEST_DOCS):
        conllu = _git_show(args.gum_git, args.commit, f"dep/GUM_news_{doc_key}.conllu")
        article = convert(doc_key, conllu, table, args.events_dir, report)
        path = args.out / f"wikinews-{doc_key}.json"
        path.write_text(json.dumps(article, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    for line in report:
        print(line, file=sys.stderr)
    print(f"{len(DEV_DOCS + TEST_DOCS)} articles written to {args.out}, {len(report)} notes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
