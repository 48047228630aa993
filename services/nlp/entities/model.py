"""The entity table of one article while the rules build it: drafts, token mentions, candidates."""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from services.nlp.names import slugify
from services.nlp.resources import Place


@dataclass(slots=True)
class Mention:
    start: int  # token offsets
    end: int
    entity_id: str


@dataclass(slots=True)
class EntityDraft:
    """An entity while the rules still change it (the output type is
    :class:`services.enrichment.Entity`)."""

    id: str
    name: str
    type: str
    country: str | None = None
    role: str | None = None
    lat: float | None = None
    lon: float | None = None
    mentions: list[Mention] = field(default_factory=list)
    surnames: set[str] = field(default_factory=set)
    #: Country settled by a curated table or by context (an international org stays null).
    known: bool = False
    #: The country is only the article's guess (its dominant country, or the country of the
    #: nearest sentence), not the entity's own: rules that need certainty ignore it.
    fallback: bool = False
    #: Gazetteer key of a city whose coordinates depend on the article's countries.
    city_key: str | None = None
    #: A national body named only generically ("the Interior Ministry"): its id gets the
    #: country's word once the country is known.
    generic: bool = False
    #: A river, lake, island, ... inside one country, named without its kind word ("the Olza
    #: and Brenn rivers"): with no country of its own it takes the article's.
    local: bool = False


@dataclass(slots=True)
class EntityTable:
    """Entities of one article plus the token -> entity index the event extractor reads."""

    doc: Doc
    entities: dict[str, EntityDraft]
    token_entity: list[str | None]
    _sent_of: list[int] = field(default_factory=list)
    _sents: list[Span] = field(default_factory=list)

    def entity_at(self, token: Token) -> str | None:
        return self.token_entity[token.i]

    def sentence_numbers(self) -> list[int]:
        """Sentence number of every token (``Token.sent`` walks the parse on every call)."""
        if not self._sent_of:
            for n, sent in enumerate(self.doc.sents):
                self._sents.append(sent)
                self._sent_of.extend([n] * (sent.end - sent.start))
        return self._sent_of

    def sentences(self) -> list[Span]:
        """The sentences in order, from the per-document cache."""
        self.sentence_numbers()
        return self._sents

    def sentence(self, token_index: int) -> Span:
        """The sentence of a token, from the per-document cache."""
        return self._sents[self.sentence_numbers()[token_index]]

    def state_of_places(self) -> str | None:
        """``country:<ISO3>`` of most place mentions, for a story that names only its towns and
        regions ("New South Wales", "Sydney"): local news leaves its own state unsaid."""
        by_country: dict[str, int] = {}
        for e in self.entities.values():
            if e.id.startswith("place:") and e.country:
                by_country[e.country] = by_country.get(e.country, 0) + len(e.mentions)
        if not by_country:
            return None
        return f"country:{max(by_country, key=lambda c: (by_country[c], c))}"

    def mentions_in_order(self) -> list[Mention]:
        out = [m for e in self.entities.values() for m in e.mentions]
        out.sort(key=lambda m: m.start)
        return out

    def add(self, entity: EntityDraft, start: int, end: int) -> None:
        """A mention of ``entity`` over tokens [start, end); the entity joins the table or
        merges into the one with its id."""
        existing = self.entities.get(entity.id)
        if existing is None:
            self.entities[entity.id] = entity
            existing = entity
        else:
            if (
                entity.type == "ORG"
                and len(entity.name) > len(existing.name)
                and is_acronym(existing.name)
                and not is_acronym(entity.name)
            ):
                existing.name = entity.name
            existing.country = existing.country or entity.country
            existing.known = existing.known or entity.known
        existing.mentions.append(Mention(start, end, existing.id))
        for i in range(start, end):
            self.token_entity[i] = existing.id

    def merge(self, source_id: str, target_id: str) -> None:
        """Every mention of ``source_id`` becomes a mention of ``target_id``."""
        source = self.entities.pop(source_id)
        target = self.entities[target_id]
        for m in source.mentions:
            m.entity_id = target_id
            target.mentions.append(m)
        target.mentions.sort(key=lambda m: m.start)
        self.token_entity = [target_id if t == source_id else t for t in self.token_entity]

    def drop(self, entity_id: str) -> None:
        self.entities.pop(entity_id)
        self.token_entity = [None if t == entity_id else t for t in self.token_entity]


@dataclass(slots=True)
class Candidate:
    """A span that may become an entity: an NER span (cleaned, perhaps split) or a name the
    rules found."""

    start: int
    end: int
    label: str
    text: str
    #: Set when an acronym rule already decided what this span is.
    forced: EntityDraft | None = None
    dropped: bool = False
    #: A company's name by its context ("Virgin Blue chief executive"): never a title piece.
    company: bool = False


def is_acronym(text: str) -> bool:
    upper = sum(1 for c in text if c.isupper())
    return upper >= 2 and len(text) <= 8 and " " not in text and text[0].isupper()


def org_id(name: str) -> str:
    return f"org:{slugify(name)}"


#: Abbreviations of place-name words, spelled out in ids and names ("Mt Archer": Mount Archer).
_PLACE_ABBREVIATIONS = {
    "mt": "Mount",
    "mt.": "Mount",
    "ft": "Fort",
    "ft.": "Fort",
    "pt": "Point",
    "pt.": "Point",
}


def place_draft(name: str, place: Place | None, label: str, *, known: bool = False) -> EntityDraft:
    first, _, rest = name.partition(" ")
    if rest and first.lower() in _PLACE_ABBREVIATIONS:
        name = f"{_PLACE_ABBREVIATIONS[first.lower()]} {rest}"
    return EntityDraft(
        id=f"place:{slugify(name)}",
        name=name,
        type=label,
        country=place.country if place else None,
        lat=place.lat if place else None,
        lon=place.lon if place else None,
        known=known,
    )
