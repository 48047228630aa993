"""The PETRARCH2 / Phoenix dictionaries as lookup tables (``config/data/nlp/petrarch/``, derived by
``tools/derive_nlp_tables.py``): people and groups with their countries, places, generic
agents, discards, and the CAMEO verb patterns."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from services.nlp.names import alias_key

#: Code prefixes of actors that belong to no country (international bodies, NGOs, people
#: coded only as elites) in PETRARCH's actor codes.
_STATELESS_PREFIXES = ("IGO", "NGO", "IMG", "MNC", "ELI", "UAF", "---")
#: Agent codes of the state: their acts are the state's acts (police, army, courts, ministries).
STATE_AGENTS = frozenset({"GOV", "MIL", "COP", "JUD", "LEG", "SPY"})


@dataclass(frozen=True, slots=True)
class DatedCode:
    country: str | None  # ISO3, None for international people
    start: str  # YYYYMMDD or ""
    end: str
    government: bool = False  # an office of government (agent code GOV), not an elite


def _pack(codes: list[tuple[str, str, str, bool]]) -> str:
    """People's codes as one short string ("AUS:19960311:20071203:G;:19970101::"; G marks a
    government office): 21,000 names as dataclass tuples cost an NLP process ~15 MB, as
    strings ~3 MB."""
    return ";".join(
        f"{country}:{start}:{end}:{'G' if gov else ''}" for country, start, end, gov in dict.fromkeys(codes)
    )


def _unpack(packed: str) -> tuple[DatedCode, ...]:
    out = []
    for item in packed.split(";"):
        country, start, end, gov = item.split(":")
        out.append(DatedCode(country or None, start, end, gov == "G"))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class VerbPattern:
    """One pattern of a CAMEO.2.0 verb block: what must surround the verb for ``code``."""

    subject: tuple[str, ...]  # words of the subject phrase, head last; () = any
    particle: str
    obj: tuple[str, ...]  # words of the object phrase, head last
    preps: tuple[tuple[str, tuple[str, ...]], ...]  # (preposition, words of its object)
    code: str  # "" = explicitly no event
    reverse: bool

    @property
    def specificity(self) -> int:
        return (
            len(self.subject) + bool(self.particle) + len(self.obj) + sum(1 + len(w) for _, w in self.preps)
        )


@dataclass(frozen=True, slots=True)
class VerbEntry:
    block: str
    code: str  # the bare verb's code, "" when the bare verb is no event
    before: str  # other words of a multi-word verb
    after: str


@dataclass(frozen=True, slots=True)
class Dictionaries:
    people: dict[str, str]  # alias_key of a person's name -> packed codes (see ``_pack``)
    surnames: frozenset[str]  # last words of those names
    first_names: frozenset[str]
    groups: dict[str, str | None]  # alias_key of an organisation -> ISO3 or None
    places: dict[str, str]  # alias_key of a region, city or other name -> ISO3
    #: alias_key of a dependency -> (its state's ISO3, "territory" or "alias")
    territories: dict[str, tuple[str, str]]
    agents: dict[str, str]  # "police" -> COP (lower-case phrase)
    verbs: dict[str, tuple[VerbEntry, ...]]  # lemma -> its entries
    patterns: dict[str, tuple[VerbPattern, ...]]  # block -> patterns
    synsets: dict[str, frozenset[str]]  # "&military" -> phrases
    story_discards: frozenset[str]  # lower-case phrases
    sentence_discards: frozenset[str]

    def person_country(self, name: str, on: str | None) -> tuple[bool, str | None]:
        """(known, ISO3) for a person the dictionary lists; ``on`` (YYYYMMDD) picks the code in
        force that day, else the most recent dated one."""
        packed = next((p for key in _name_forms(alias_key(name)) if (p := self.people.get(key))), None)
        if not packed:
            return False, None
        codes = _unpack(packed)
        dated = [c for c in codes if c.start or c.end]
        if on:
            current = [c for c in dated if (not c.start or c.start <= on) and (not c.end or on <= c.end)]
            if current:
                return True, current[0].country
        chosen = max(dated, key=lambda c: c.end or "99999999") if dated else codes[0]
        return True, chosen.country

    def office_country(self, surname: str, on: str | None) -> str | None:
        """The one country whose listed people of that surname held a dated government office
        (agent code GOV) on ``on`` (YYYYMMDD): "the Blair Government" in 2001 -> GBR (Tony
        Blair). None when no such person or when they disagree. A scan of the names: asked
        once per "<name> Government"."""
        if not on:
            return None
        tail = " " + alias_key(surname)
        found: set[str | None] = set()
        for name, packed in self.people.items():
            if not name.endswith(tail):
                continue
            for c in _unpack(packed):
                if (
                    c.government
                    and (c.start or c.end)
                    and (not c.start or c.start <= on)
                    and (not c.end or on <= c.end)
                ):
                    found.add(c.country)
        return found.pop() if len(found) == 1 else None

    def words_of(self, item: str) -> frozenset[str]:
        """A pattern word, or the phrases of a ``&synset``."""
        return self.synsets.get(item, frozenset({item}))


def _name_forms(key: str) -> list[str]:
    """The lookup keys of a person's name: as written, with a middle initial's period added or
    dropped ("George W Bush" / "george w. bush"), then without middle initials."""
    words = key.split()
    if len(words) < 3:
        return [key]
    middle = words[1:-1]
    dotted = [w if len(w.rstrip(".")) > 1 else w.rstrip(".") + "." for w in middle]
    bare = [w.rstrip(".") if len(w.rstrip(".")) == 1 else w for w in middle]
    long_only = [w for w in middle if len(w.rstrip(".")) > 1]
    forms = [key, " ".join([words[0], *dotted, words[-1]]), " ".join([words[0], *bare, words[-1]])]
    forms.append(" ".join([words[0], *long_only, words[-1]]))
    return list(dict.fromkeys(forms))


def _rows(path: Path) -> Iterator[list[str]]:
    with path.open(encoding="utf-8") as fh:
        lines = (line for line in fh if not line.startswith("#"))
        reader = csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(reader)  # header
        yield from reader


def _country_of_code(code: str, iso3: frozenset[str]) -> str | None:
    if code.startswith("MNC") and code[3:6] in iso3:
        return code[3:6]  # "MNCUSA": a multinational with its home country (CAMEO actor codes)
    if code.startswith(_STATELESS_PREFIXES):
        return None
    return code[:3] if code[:3] in iso3 else None


def load_dictionaries(folder: Path, *, iso3: frozenset[str], not_names: frozenset[str]) -> Dictionaries:
    """Read the derived tables; ``iso3`` are the valid country codes, ``not_names`` words that
    are never a first name (titles, honorifics, country words)."""
    people: dict[str, str] = {}
    first_counts: dict[str, int] = {}
    last_counts: dict[str, int] = {}
    for phrase, code, start, end in _rows(folder / "people.tsv"):
        key = alias_key.__wrapped__(phrase)  # one-off names would only flush the news-name cache
        item = _pack([(_country_of_code(code, iso3) or "", start, end, code[3:6] == "GOV")])
        known = people.get(key)
        if known is None:
            people[key] = item
        elif item not in known.split(";"):
            people[key] = f"{known};{item}"
        words = phrase.split()
        if len(words) >= 2 and all(w.replace("-", "").replace("'", "").isalpha() for w in words):
            first_counts[words[0]] = first_counts.get(words[0], 0) + 1
            last_counts[words[-1]] = last_counts.get(words[-1], 0) + 1
    # A first name starts at least two names and starts names more often than it ends them.
    first_names = frozenset(
        w
        for w, n in first_counts.items()
        if n >= 2 and n > last_counts.get(w, 0) and len(w) > 1 and w not in not_names
    )
    surnames = frozenset(w for w, n in last_counts.items() if len(w) > 2 and w not in not_names)
    groups: dict[str, str | None] = {}
    for phrase, code in _rows(folder / "groups.tsv"):
        groups.setdefault(alias_key(phrase), _country_of_code(code, iso3))
    places: dict[str, str] = {}
    territories: dict[str, tuple[str, str]] = {}
    for phrase, code, kind in _rows(folder / "countries.tsv"):
        if kind != "name" and code[:3] in iso3:
            places.setdefault(alias_key(phrase), code[:3])
            if kind in {"territory", "alias"}:
                territories.setdefault(alias_key(phrase), (code[:3], kind))
    agents = {phrase: code for phrase, code in _rows(folder / "agents.tsv")}
    verbs: dict[str, list[VerbEntry]] = {}
    for lemma, before, after, block, code in _rows(folder / "verbs.tsv"):
        verbs.setdefault(lemma, []).append(VerbEntry(block, code, before, after))
    patterns: dict[str, list[VerbPattern]] = {}
    for block, subject, particle, obj, preps, code, reverse, _verb in _rows(folder / "verb_patterns.tsv"):
        prep_list = tuple((p.split()[0], tuple(p.split()[1:])) for p in preps.split(";") if p.strip())
        patterns.setdefault(block, []).append(
            VerbPattern(tuple(subject.split()), particle, tuple(obj.split()), prep_list, code, reverse == "1")
        )
    synsets: dict[str, set[str]] = {}
    for name, phrase in _rows(folder / "synsets.tsv"):
        synsets.setdefault(name, set()).add(phrase)
    story: set[str] = set()
    sentence: set[str] = set()
    for phrase, scope, _match in _rows(folder / "discards.tsv"):
        (story if scope == "story" else sentence).add(phrase)
    return Dictionaries(
        people=people,
        surnames=surnames,
        first_names=first_names,
        groups=groups,
        places=places,
        territories=territories,
        agents=agents,
        verbs={k: tuple(v) for k, v in verbs.items()},
        patterns={k: tuple(v) for k, v in patterns.items()},
        synsets={k: frozenset(v) for k, v in synsets.items()},
        story_discards=frozenset(story),
        sentence_discards=frozenset(sentence),
    )
