"""Entity typing: what a candidate span is (a person, a country, a known or new organisation,
a city, a region) and the draft entity that stands for it (docs/enrichment.md, rules 3-7)."""

from __future__ import annotations

import functools
import re

from spacy.tokens import Doc, Token

from services.nlp.entities.acronyms import in_parens
from services.nlp.entities.model import Candidate, EntityDraft, is_acronym, org_id, place_draft
from services.nlp.names import alias_key, close_spelling, slugify
from services.nlp.resources import NlpResources, OrgEntry

MISC_LABELS = frozenset({"FAC", "EVENT", "LAW", "PRODUCT", "WORK_OF_ART", "LANGUAGE", "NORP"})
ADMIN_SUFFIXES = frozenset(
    {
        "province",
        "region",
        "state",
        "county",
        "prefecture",
        "district",
        "city",
        "governorate",
        "oblast",
        "department",
    }
)
#: Adjectives of an administration's level ("the Zemlian provincial government").
ADMIN_ADJECTIVES = frozenset({"provincial", "regional", "municipal", "prefectural", "cantonal"})
LOCATION_PREPS = frozenset(
    {
        "in",
        "at",
        "to",
        "from",
        "near",
        "into",
        "across",
        "outside",
        "inside",
        "around",
        "toward",
        "towards",
        "via",
        "through",
        "between",
        "off",
        "over",
        "within",
        "throughout",
    }
)
#: Named features that lie inside one country (a sea or a region may not): "the Franklin River".
LOCAL_FEATURES = frozenset({"river", "creek", "lake", "island", "mountain", "mount", "valley", "range"})
_ARRIVAL_VERBS = frozenset({"visit", "arrive", "travel", "fly", "return", "leave", "reach", "tour"})
#: Verbs of setting out whose "for" names the destination ("left for Oslo").
_DEPARTURE_VERBS = frozenset({"leave", "depart", "head", "sail", "fly", "set", "board", "embark"})


def capital_is_location(doc: Doc, start: int, end: int) -> bool:
    """'in Tokyo', 'visit Manila', 'left for Oslo', 'Tokyo police' -> the city; 'Beijing said'
    -> the country."""
    root = doc[start:end].root
    head = root.head
    if root.dep_ == "pobj" and head.lower_ in LOCATION_PREPS:
        return True
    if root.dep_ == "pobj" and head.lower_ == "for" and head.head.lemma_ in _DEPARTURE_VERBS:
        return True  # "the envoy left for Oslo": the destination, not the government
    if root.dep_ == "dobj" and head.lemma_ in _ARRIVAL_VERBS:
        return True
    if root.dep_ in {"compound", "nmod"} and head.pos_ in {"NOUN", "PROPN"}:
        return head.ent_type_ in {"", "GPE", "LOC", "FAC"}
    return root.dep_ == "appos"


def before_role(res: NlpResources, doc: Doc, end: int) -> bool:
    """Is ``doc[end]`` the start of a title ("Defense Secretary", "Treasury Cabinet
    Secretary": a role head, or one capitalised word and then a role head)?"""
    heads = res.role_heads
    return end < len(doc) and (
        doc[end].lower_ in heads
        or (
            end + 1 < len(doc)
            and doc[end + 1].lower_ in heads
            and doc[end].is_title
            and not doc[end].ent_type_
        )
    )


def span_head(doc: Doc, start: int, end: int) -> Token:
    """The span's token whose head lies outside it (``Span.root`` without its tree walk,
    which fails on a malformed parse)."""
    for tok in doc[start:end]:
        if tok.head == tok or not start <= tok.head.i < end:
            return tok
    return doc[end - 1]


def titled_after(res: NlpResources, doc: Doc, cand: Candidate) -> bool:
    return before_role(res, doc, cand.end)


def possessive_owner(doc: Doc, start: int) -> str | None:
    """The text of the entity (or word) before a possessive that ends right before
    ``doc[start]`` ("Argentina's Government" -> "Argentina"), else None."""
    if start < 2 or doc[start - 1].tag_ != "POS":
        return None
    end = start - 1
    first = end - 1
    while first > 0 and doc[first].ent_iob_ == "I":
        first -= 1
    return doc[first:end].text


def person_names(res: NlpResources, cands: list[Candidate]) -> list[str]:
    """The names of the article's people, longest first."""
    names: list[str] = []
    for c in cands:
        if c.label != "PERSON" or c.forced is not None or c.dropped:
            continue
        if res.country_of_text(c.text) or alias_key(c.text) in res.big_cities:
            continue
        if c.text not in names:
            names.append(c.text)
    return sorted(names, key=len, reverse=True)


def relabel_lone_names(
    res: NlpResources, doc: Doc, cands: list[Candidate], surnames: dict[str, str], firstnames: dict[str, str]
) -> None:
    """A one-word PERSON nobody in the article or the PETRARCH people list is known by is often
    no person: an owner or noun modifier ("Ansett's administrators", "Ansett workers") or a
    name typed ORG elsewhere is an organisation; the object of a place preposition ("in the
    Saxetbach") a place; a bare title ("Sheikh") nothing. One word, one reading per article."""
    lone: dict[str, list[Candidate]] = {}
    for c in cands:
        if c.label == "PERSON" and c.forced is None and c.end - c.start == 1:
            lone.setdefault(c.text, []).append(c)
    if not lone:
        return
    lower_nouns = {t.lower_ for t in doc if t.is_lower and t.pos_ == "NOUN"}
    inside = {i for c in cands for i in range(c.start, c.end)}
    untagged: dict[str, list[Token]] = {}
    for t in doc:
        if t.pos_ == "PROPN" and t.i not in inside:
            untagged.setdefault(t.text, []).append(t)
    for text, group in lone.items():
        lower = text.lower()
        if lower in res.role_heads or lower in res.honorifics:
            for c in group:
                c.dropped = True
            continue
        if lower in lower_nouns:
            # "Zinc shortages ..." with "zinc" in lower case elsewhere in the article: a
            # common noun capitalised by its place in the sentence
            for c in group:
                c.dropped = True
            continue
        if (
            text in surnames
            or text in firstnames
            or lower in res.petrarch.surnames
            or lower in res.petrarch.first_names
            or any(c.start > 0 and doc[c.start - 1].lower_ in res.honorifics for c in group)
        ):
            continue
        tokens = [doc[c.start] for c in group]
        # the same word the model left untagged is the same name: "the Zorbly feed" tells of
        # "Zorbly" tagged PERSON elsewhere as much as a tagged mention would
        if any(c.text == text and c.label == "ORG" for c in cands) or any(
            t.dep_ == "poss" or (t.dep_ == "compound" and t.head.pos_ == "NOUN")
            for t in tokens + untagged.get(text, [])
        ):
            label = "ORG"
        elif any(t.dep_ == "pobj" and t.head.lower_ in LOCATION_PREPS for t in tokens):
            label = "GPE"
        else:
            continue
        for c in group:
            c.label = label


#: Prefixes a hyphen joins to a title ("co-founder", "vice-chairman").
_TITLE_PREFIXES = frozenset({"co", "vice", "deputy"})


def followed_by_org_title(res: NlpResources, doc: Doc, end: int) -> bool:
    """Does a title only an organisation has start at ``doc[end]`` ("chief executive"), also
    behind a hyphenated co-/vice- ("co-founder")?"""
    followers = res.organisation_followers
    if end + 2 < len(doc) and doc[end].lower_ in _TITLE_PREFIXES and doc[end + 1].text == "-":
        end += 2
    return any(
        end + n <= len(doc) and tuple(t.lower_ for t in doc[end : end + n]) in followers
        for n in _title_lengths(followers)
    )


@functools.cache
def _title_lengths(titles: frozenset[tuple[str, ...]]) -> tuple[int, ...]:
    # one set lookup per length instead of a scan of every title, for every candidate
    return tuple(sorted({len(t) for t in titles}))


def relabel_company_names(res: NlpResources, doc: Doc, cands: list[Candidate]) -> None:
    """A PERSON span next to a noun that says it is an organisation's name ("retailer Harris
    Scarfe", "the Harris Scarfe business", "organisation Det Norske Veritas") or before a title
    only an organisation has ("Virgin Blue chief executive") is an organisation, in every
    mention of that text. Names PETRARCH lists as people stay people."""
    nouns = res.organisation_nouns

    def beside_org_noun(c: Candidate) -> bool:
        before = doc[c.start - 1] if c.start > 0 else None
        after = doc[c.end] if c.end < len(doc) else None
        return (
            (before is not None and before.is_lower and before.lemma_ in nouns)
            or (
                after is not None
                and after.is_lower
                and after.lemma_ in nouns
                and span_head(doc, c.start, c.end).head == after
            )
            or followed_by_org_title(res, doc, c.end)
        )

    texts = {
        c.text
        for c in cands
        if c.label == "PERSON"
        and c.forced is None
        and alias_key(c.text) not in res.petrarch.people
        and beside_org_noun(c)
    }
    for c in cands:
        if c.label == "PERSON" and c.text in texts:
            c.label, c.company = "ORG", True

    def named_group(c: Candidate) -> bool:
        head = span_head(doc, c.start, c.end)
        return beside_org_noun(c) or (
            head.dep_ == "appos" and head.head.is_lower and head.head.lemma_ in nouns
        )

    # "the Sea Pact group", "its elite group the Sea Pact": a 'place' no gazetteer lists that an
    # organisation noun names or restates is an organisation, in every mention
    unlisted = {
        c.text
        for c in cands
        if c.label in {"GPE", "LOC"} and c.forced is None and not listed_place(res, c.text) and named_group(c)
    }
    for c in cands:
        if c.label in {"GPE", "LOC"} and c.forced is None and c.text in unlisted:
            c.label = "ORG"
    # "a co-founder of Topeka", "the chairman of Hamm": a title only an organisation has puts
    # the name it governs among organisations, in every mention, never the town of that name
    owned = {c.text for c in cands if c.label == "ORG" and c.forced is None and after_org_title(res, doc, c)}
    # "the Temple of Vexora's lawyers", "the Temple of Vexora sued": a building's kind word
    # opens the name of a body that acts and owns, not of the building
    owned |= {
        c.text
        for c in cands
        if c.label == "ORG"
        and c.end - c.start > 1
        and doc[c.start].lower_ in res.building_words
        and span_head(doc, c.start, c.end).dep_ in {"poss", "nsubj"}
    }
    for c in cands:
        if c.label == "ORG" and c.text in owned:
            c.company = True


def after_org_title(res: NlpResources, doc: Doc, cand: Candidate) -> bool:
    """Is the span the object of "of" after a title only an organisation has ("co-founder of
    X", "shareholders of X")?"""
    head = span_head(doc, cand.start, cand.end)
    prep = head.head
    return (
        head.dep_ == "pobj"
        and prep.lower_ == "of"
        and prep.i < cand.start
        and prep.head.i < prep.i
        and (prep.head.lower_,) in res.organisation_followers
    )


def relabel_unlisted_places(res: NlpResources, cands: list[Candidate]) -> None:
    """A name the model tags as an organisation in one mention and as a place in another, that
    no gazetteer table lists as a place, is the organisation in all of them: one name, one
    reading per article (a town the model mistypes once is in GeoNames)."""
    labels: dict[str, set[str]] = {}
    for c in cands:
        if c.forced is None and not c.dropped:
            labels.setdefault(c.text, set()).add(c.label)
    mixed = {
        text
        for text, seen in labels.items()
        if "ORG" in seen and seen & {"GPE", "LOC"} and "PERSON" not in seen and not listed_place(res, text)
    }
    for c in cands:
        if c.text in mixed and c.label in {"GPE", "LOC"} and c.forced is None:
            c.label = "ORG"


def relabel_places_listed_with_orgs(res: NlpResources, doc: Doc, cands: list[Candidate]) -> None:
    """ "Zentrix, Microsoft, and Sony had stands": a name tagged as a place that no gazetteer
    lists, coordinated with an organisation, is one of a list of like things, an organisation,
    in every mention."""
    org_at = {i for c in cands if c.label == "ORG" and not c.dropped for i in range(c.start, c.end)}
    renamed = set()
    for c in cands:
        if c.label not in {"GPE", "LOC"} or c.forced is not None or listed_place(res, c.text):
            continue
        head = span_head(doc, c.start, c.end)
        conjuncts = [t.i for t in head.children if t.dep_ == "conj"]
        if head.dep_ == "conj":
            conjuncts.append(head.head.i)
        if any(i in org_at for i in conjuncts):
            renamed.add(c.text)
    for c in cands:
        if c.text in renamed and c.label in {"GPE", "LOC"} and c.forced is None:
            c.label = "ORG"


def drop_determined_persons(doc: Doc, cands: list[Candidate]) -> None:
    """ "played the Harlequin", "into the Iron Keep": a personal name takes no article, so a PERSON
    span whose head "the" determines is a character's or a thing's name, no person."""
    for c in cands:
        if c.label != "PERSON" or c.forced is not None or c.start == 0:
            continue
        before = doc[c.start - 1]
        if (
            before.lower_ == "the"
            and before.dep_ == "det"
            and before.head.i == span_head(doc, c.start, c.end).i
        ):
            c.dropped = True


def names_local_feature(doc: Doc, cand: Candidate) -> bool:
    """Does the span name a river, lake, island, valley, ... by modifying that lower-case noun,
    alone or as a conjunct ("the Olza river", "the Olza and Brenn rivers")?"""
    if cand.end >= len(doc) or not (
        doc[cand.end].lemma_ in LOCAL_FEATURES or doc[cand.end].lower_ in {"and", ",", "or"}
    ):
        return False  # the feature's noun follows the name, or the names are listed before it
    node = span_head(doc, cand.start, cand.end)
    while node.dep_ == "conj" and node.head.i != node.i:
        node = node.head
    head = node.head
    return (
        node.dep_ in {"compound", "nmod"}
        and head.is_lower
        and head.pos_ == "NOUN"
        and head.lemma_ in LOCAL_FEATURES
    )


def street_name(res: NlpResources, words: list[str]) -> bool:
    """ "Collins Place", "Plaza de los Reyes": a street or square by its kind word, last, or
    first and then a particle (as Romance languages name squares)."""
    return len(words) > 1 and (
        words[-1].lower().rstrip(".") in res.street_words
        or (
            len(words) > 2
            and words[0].lower() in res.street_words
            and words[1].lower() in res.name_particles | {"du", "des"}
        )
    )


def listed_place(res: NlpResources, text: str) -> bool:
    """Does a gazetteer table (countries, states, cities, regions, PETRARCH places) list it?"""
    key = alias_key(text)
    return bool(
        res.country_of_text(text)
        or key in res.subdivisions
        or key in res.cities
        or key in res.regions
        or key in res.capitals
        or key in res.petrarch.places
    )


_CLOCK_TIME = re.compile(r"^\d{1,2}[:.]\d{2}$")


def drop_time_zones(doc: Doc, cands: list[Candidate]) -> None:
    """ "at 15:40 CET", "by 9 p.m. EST": an acronym right after a clock time is its time zone."""
    for c in cands:
        if c.end - c.start != 1 or c.start == 0 or not is_acronym(c.text):
            continue
        before = doc[c.start - 1].lower_
        if _CLOCK_TIME.match(before) or before in {"a.m.", "p.m.", "am", "pm"}:
            c.dropped = True


def mark_short_org_names(res: NlpResources, cands: list[Candidate]) -> None:
    """ "the Zorbly article" after "Zorbly Magazine": a name typed ORG that another ORG name of
    the article continues with an organisation's noun (``organisation_nouns``, ``org_heads``)
    is that organisation's short name, never the town of that name (see
    ``merge_short_org_names``)."""
    kinds = res.organisation_nouns | res.org_heads
    longer = {
        c.text.rsplit(" ", 1)[0]
        for c in cands
        if c.label == "ORG" and " " in c.text and c.text.rsplit(" ", 1)[1].lower() in kinds
    }
    for c in cands:
        if c.label == "ORG" and c.forced is None and c.text in longer:
            c.company = True


def drop_letter_labels(doc: Doc, cands: list[Candidate], common_nouns: frozenset[int]) -> None:
    """ "the first game of Group G", "Pool B": a common noun and one capital letter is a label
    of a draw or a series, no organisation."""
    for c in cands:
        if (
            c.label == "ORG"
            and c.forced is None
            and c.end - c.start == 2
            and len(doc[c.start + 1].text) == 1
            and doc[c.start + 1].text.isupper()
            and doc[c.start].is_title
            and doc[c.start].lower in common_nouns
        ):
            c.dropped = True


def relabel_work_titles(doc: Doc, cands: list[Candidate]) -> None:
    """ "Ivanhoe: The Return", "a demo of Ivanhoe: Lost Halls": a name a colon and a
    capitalised subtitle follow is the main title of a work (a game, a film, a book), in every
    mention, unless the model ever tags it as a place ("Kabul: police said" is a dateline)."""
    titled = {
        c.text
        for c in cands
        if c.end + 1 < len(doc)
        and doc[c.end].text == ":"
        and doc[c.end + 1].text[:1].isupper()
        and doc[c.end + 1].is_alpha
        and doc[c.end].sent.start == doc[c.end + 1].sent.start
    }
    titled -= {c.text for c in cands if c.label in {"GPE", "LOC"}}
    # the subtitle right after the colon is the same work's
    subtitles = {c.end + 1 for c in cands if c.text in titled}
    for c in cands:
        if (c.text in titled or c.start in subtitles) and c.forced is None:
            c.forced = EntityDraft(id=f"misc:{slugify(c.text)}", name=c.text, type="WORK_OF_ART")


def relabel_product_short_names(cands: list[Candidate]) -> None:
    """ "the recently released Zephyr Glide ... tied with Glide": a one-word name that ends a
    longer name the model tags PRODUCT is that product's short name, no person or body."""
    products = {
        c.text.split()[-1]: c.text
        for c in cands
        if c.label == "PRODUCT" and c.forced is None and not c.dropped and len(c.text.split()) > 1
    }
    for c in cands:
        full = products.get(c.text)
        if full is not None and c.forced is None and c.label in {"PERSON", "ORG", "GPE", "LOC"}:
            c.forced = EntityDraft(id=f"misc:{slugify(full)}", name=full, type="PRODUCT")


#: Prepositions after which a name the model typed PERSON is a place ("caves at Tora Bora").
_PLACE_PREPS = frozenset({"in", "at", "near", "outside", "inside", "around", "across"})


def relabel_place_names(res: NlpResources, doc: Doc, cands: list[Candidate], persons: list[str]) -> None:
    """A two- or three-word PERSON span nobody is known by (not in the PETRARCH people list, no
    known first name, no honorific, no other mention as the article's person) that is the
    object of a place preposition ("caves at Tora Bora") is a place."""
    for c in cands:
        if c.label != "PERSON" or c.forced is not None or not 2 <= c.end - c.start <= 3:
            continue
        head = span_head(doc, c.start, c.end)
        if not (head.dep_ == "pobj" and head.head.lower_ in _PLACE_PREPS):
            continue
        if (
            alias_key(c.text) in res.petrarch.people
            or doc[c.start].lower_ in res.petrarch.first_names
            or (c.start > 0 and doc[c.start - 1].lower_.rstrip(".") in res.honorifics)
            or any(p != c.text and (p.endswith(" " + c.text.split()[-1])) for p in persons)
        ):
            continue
        others = [o for o in cands if o.text == c.text and o is not c]
        if any(span_head(doc, o.start, o.end).dep_ in {"nsubj", "nsubjpass"} for o in others):
            continue  # the same name acting elsewhere is a person
        c.label = "GPE"


def relabel_appositive_places(res: NlpResources, doc: Doc, cands: list[Candidate]) -> None:
    """ "Ravello, Campania" with the region tagged PERSON: a name a gazetteer lists, set off by a
    comma in apposition to a place, is the larger place that locates it, not a person."""
    place_tokens = {i for c in cands if c.label in {"GPE", "LOC"} for i in range(c.start, c.end)}
    for c in cands:
        if c.label != "PERSON" or c.forced is not None or c.start == 0 or doc[c.start - 1].text != ",":
            continue
        head = span_head(doc, c.start, c.end)
        if head.dep_ == "appos" and head.head.i in place_tokens and listed_place(res, c.text):
            c.label = "GPE"


#: Words that link a name's parts; a piece of a name ending in one is no name ("Office of").
_NAME_LINK_WORDS = frozenset({"of", "the", "for", "and", "on", "in", "to", "&"})


def _curated_name_pieces(
    res: NlpResources,
) -> tuple[dict[tuple[str, ...], set[OrgEntry]], dict[tuple[str, ...], set[OrgEntry]]]:
    """Strict prefixes and suffixes (two words or more) of the curated organisations' names ->
    the organisations. A prefix must not end in an organisation's head noun (it would be a
    whole name of its own: "Communist Party") and must leave off no country, demonym or place
    ("US Forces" of "US Forces Japan"); a suffix must leave off exactly another curated
    organisation's name (the parent body: "United Nations" of "United Nations Development
    Programme"), never a country or an adjective ("Democratic Party"). A piece that ends in a
    link word ("Department of") is none."""
    prefixes: dict[tuple[str, ...], set[OrgEntry]] = {}
    suffixes: dict[tuple[str, ...], set[OrgEntry]] = {}
    name_ends = res.org_heads | _NAME_LINK_WORDS  # words no piece of a name may end in
    for key, entry in res.orgs.items():
        words = tuple(key.split())
        for n in range(2, len(words)):
            head, rest = words[:n], words[n:]
            if head[-1] not in name_ends and not any(
                listed_place(res, w) or res.demonyms.get(w) for w in rest
            ):
                prefixes.setdefault(head, set()).add(entry)
            lead, tail = words[: len(words) - n], words[len(words) - n :]
            parent = res.orgs.get(" ".join(lead))
            if parent is not None and parent != entry and not res.country_of_text(" ".join(lead)):
                suffixes.setdefault(tail, set()).add(entry)
    return prefixes, suffixes


def venue_town(res: NlpResources, doc: Doc, cand: Candidate) -> tuple[int, int] | None:
    """ "the Zemlograd Arena", "the Metro Zemlograd Convention Centre": the tokens of the
    gazetteer city a title-case venue's name puts before its head noun (``venue_words``), or
    None. The venue lies in that city: the name is a mention of the city."""
    start, end = cand.start, cand.end
    if start < end and doc[start].lower_ == "the":
        start += 1
    for venue in res.venue_words:
        n = len(venue)
        if end - start <= n or tuple(t.lower_ for t in doc[end - n : end]) != venue:
            continue
        if not all(t.text[:1].isupper() for t in doc[start:end]):
            return None  # "the Zemlograd sports arena": a description, not a name
        for first in range(start, end - n):  # longest modifier first: "Nova Zemla" before "Zemla"
            key = alias_key(doc[first : end - n].text)
            if key in res.cities and key not in res.orgs:
                return first, end - n
        return None
    return None


class EntityTyper:
    """Turns candidates into draft entities with the resource tables."""

    def __init__(self, res: NlpResources) -> None:
        self.res = res
        self._org_prefixes, self._org_suffixes = _curated_name_pieces(res)

    def classify(
        self,
        doc: Doc,
        cand: Candidate,
        persons: list[str],
        surnames: dict[str, str],
        firstnames: dict[str, str],
        article_countries: frozenset[str] = frozenset(),
        place_countries: frozenset[str] = frozenset(),
    ) -> EntityDraft | None:
        """The draft entity a candidate stands for, or None. ``article_countries``: countries
        the article names; ``place_countries``: those and the countries of its states and
        cities."""
        res = self.res
        text, label = cand.text, cand.label
        key = alias_key(text)
        if text.startswith("@"):
            return self.handle(text[1:])
        state = self.state_reference(doc, cand, surnames)
        if state is not None and label in {"ORG", "NORP", "GPE", "FAC"}:
            return state

        if label in {"GPE", "LOC", "ORG", "NORP"} and key in res.compass_words:
            return None  # "the East would suffer": no place
        if label == "RIVER":
            # a river the regions table lacks is local: its country comes from the article
            return place_draft(text, res.regions.get(key), "LOC", known=key in res.regions)
        if label in {"ORG", "GPE", "FAC"} and names_local_feature(doc, cand) and not listed_place(res, text):
            # "the Olza and Brenn rivers": names no gazetteer lists before a river's, lake's,
            # island's, ... noun are such features, of the article's country
            entity = place_draft(text, res.regions.get(key), "LOC", known=key in res.regions)
            entity.local = True
            return entity

        if label != "PERSON" and (text in surnames or text in firstnames or text in persons):
            full = surnames.get(text) or firstnames.get(text) or text
            return self.person(full)

        iso3 = res.metonyms.get(key) or res.country_aliases.get(key)
        if iso3 is None and label in {"NORP", "GPE", "ORG", "LOC", "PERSON"}:
            iso3 = res.demonyms.get(key) or (
                res.demonyms.get(key[:-1]) if key.endswith("s") and label == "NORP" else None
            )
        # "Philippine Defense Secretary": the span is part of a title; "Reform Party President
        # Ana Lutz": an organisation's full name (head noun and all) before a title is the
        # organisation the person heads
        titled = (
            before_role(res, doc, cand.end)
            and not cand.company
            and not followed_by_org_title(res, doc, cand.end)  # "Qantas chief executive"
            and not (
                label == "ORG"
                and len(text.split()) > 1
                and text.split()[-1].lower() in res.org_heads
                and not all(w in res.generic_org_words for w in key.split())  # "Foreign Ministry"
            )
        )
        if key in res.title_fragments and titled:
            return None  # "Treasury" in "Treasury Cabinet Secretary": a title, in any country
        if (
            key in res.org_metonyms
            and label in {"GPE", "ORG", "LOC"}
            and not capital_is_location(doc, cand.start, cand.end)
        ):
            return self.known_org(res.org_metonyms[key])  # "Brussels" acting for the EU
        if iso3 is None and key in res.capitals and label in {"GPE", "ORG", "PERSON", "LOC"}:
            if self.namesake_at_home(key, res.capitals[key], article_countries):
                return self.city(text, key)  # "Victoria" in an Australian story is no capital
            if not capital_is_location(doc, cand.start, cand.end):
                iso3 = res.capitals[key]
            else:
                return self.city(text, key)
        if iso3 is not None:
            return self.country(iso3)
        if (
            label == "NORP"
            and cand.end < len(doc)
            and doc[cand.end].lower_ in ADMIN_ADJECTIVES
            and not listed_place(res, text)
        ):
            # "the Tibetan regional officials": a people's adjective before an administration's
            # level is no mention of the place ("Zemlia provincial", the name itself, still is)
            return EntityDraft(id=f"misc:{slugify(text)}", name=text, type=label)
        if label == "LANGUAGE" and key in res.cities and self.likely_city(key, place_countries):
            return self.city(text, key)  # a town the model tagged as a language ("in Nakuru")
        if label in {"NORP", "LOC", "GPE", "ORG", "PERSON"}:
            region = res.region_of_adjective(text)
            if region is not None:
                # "Kashmiri groups", "a Middle Eastern woman", "Antarctic ice": the region
                return place_draft(region.name, region, "LOC", known=True)

        if (
            label == "ORG"
            and text.islower()
            and key in res.generic_org_words
            and not titled_after(res, doc, cand)
        ):
            # "until congress appoints": a common noun for the article's own institution
            return self.national_body(text.capitalize())
        if label in {"ORG", "FAC", "GPE", "LOC"} and key not in res.orgs:
            town = venue_town(res, doc, cand)
            if town is not None:
                # "the Zemlograd Arena": a venue named after its town is a mention of the town
                cand.start, cand.end = town
                cand.text = doc[cand.start : cand.end].text
                return self.city(cand.text, alias_key(cand.text))
        org = res.orgs.get(key) or res.orgs.get(text)
        if org is not None and (label != "PERSON" or is_acronym(text) or org.name == text):
            return self.known_org(org)  # also "Greenpeace" tagged as a person

        tokens = text.split()
        if label == "ORG":
            root = span_head(doc, cand.start, cand.end)
            if root.pos_ == "ADJ" and root.dep_ == "amod" and root.head.pos_ == "NOUN" and root.head.is_lower:
                # "a Toowoomba Anglican school": an adjective phrase, no organisation's name;
                # a place it opens is still a mention of the place
                for size in range(len(tokens) - 1, 0, -1):
                    head_key = alias_key(doc[cand.start : cand.start + size].text)
                    if head_key in res.cities or head_key in res.subdivisions:
                        cand.end = cand.start + size
                        return self.city(doc[cand.start : cand.end].text, head_key)
                return None
        if label == "ORG" and (key in res.title_fragments or text.islower()):
            return None  # "Defense" out of "Defense Secretary"; "defence ministry"
        if (
            label in {"ORG", "PERSON", "NORP"}
            and cand.end < len(doc)
            and doc[cand.end].lower_ in ADMIN_SUFFIXES - {"department", "city"}
        ):
            return self.city(text, key)  # "Norte de Santander province"
        if label == "ORG" and not titled and len(tokens) > 1 and tokens[-1].lower() in res.role_heads:
            # "the Anglican Archbishop", "Royal Commissioner": the span is itself a title; one
            # with lower-case words ("Office of the President") is a body
            titled = all(doc[i].text[:1].isupper() for i in range(cand.start, cand.end))
        if label == "ORG" and titled:
            # "Philippine Defense Secretary", "Interior Cabinet Secretary": a title, not an org;
            # a leading country word still counts as a mention of the country.
            for size in (3, 2, 1):
                if size < len(tokens):
                    iso3 = res.country_of_text(doc[cand.start : cand.start + size].text)
                    if iso3:
                        cand.end = cand.start + size
                        return self.country(iso3)
            return None
        if (
            label in {"GPE", "LOC"}
            and len(tokens) > 1
            and tokens[-1].lower() in ADMIN_SUFFIXES
            and key not in res.cities  # "Gaza City", "Mexico City" keep their "City"
        ):
            cand.end -= 1
            text = doc[cand.start : cand.end].text
            key = alias_key(text)
            tokens = tokens[:-1]

        if (
            label in {"ORG", "FAC", "GPE", "LOC", "PERSON"}
            and len(tokens) > 1
            and (street_name(res, tokens) or (tokens[0].lower() in res.building_words and not cand.company))
            and key not in res.orgs
        ):
            # "Collins Place", "Theatre du Chatelet", "Plaza de los Reyes" (the kind word first,
            # then a particle, as Romance languages name squares): a place in the article's country
            return place_draft(text, None, "LOC")

        definite = res.definite_regions.get(key)
        if definite is not None and cand.start > 0 and doc[cand.start - 1].lower_ == "the":
            return place_draft(text, definite, "LOC", known=True)
        if label == "LOC" and key not in res.regions and (key in res.subdivisions or key in res.cities):
            # "New South Wales", "the Sunshine Coast", "Christmas Island" tagged LOC: a state,
            # a city or a dependency, in its country
            return self.city(text, key)
        if label != "PERSON" and (
            key in res.regions
            or (label in {"LOC", "GPE", "ORG", "FAC"} and tokens[-1].lower() in res.region_suffixes)
        ):
            # a sea or region is nobody's (null); a river or lake the table lacks is local
            local = tokens[-1].lower() in LOCAL_FEATURES
            return place_draft(text, res.regions.get(key), "LOC", known=key in res.regions or not local)
        if (
            label in {"ORG", "FAC", "NORP", "LOC"}
            and key in res.cities
            and (label != "ORG" or (not cand.company and self.likely_city(key, place_countries)))
        ) or (label in {"PRODUCT", "WORK_OF_ART", "EVENT"} and key in res.big_cities):
            return self.city(text, key)  # "Kaliningrad" tagged as a product

        if label == "PERSON":
            if in_parens(doc, cand.start, cand.end) and is_acronym(text):
                return None
            if text in surnames:
                return self.person(surnames[text])
            if text in firstnames and " " not in text:
                return self.person(firstnames[text])
            for full in persons:  # a shorter form of a longer name ("Lloyd J. Austin")
                if full != text and full.endswith(" " + text):
                    return self.person(full)
            if " " not in text:
                # a lone surname no full name ends with, spelt close to one person's surname
                # only: that person, misspelt ("Mr Kowalcyzk" after "Anna Kowalczyk")
                near = {full for last, full in surnames.items() if close_spelling(text, last)}
                if len(near) == 1:
                    return self.person(near.pop())
            if " " not in text and key in res.big_cities:
                return self.city(text, key)  # "Busan", "Kiel" tagged as people
            return self.person(text)
        if label == "GPE":
            return self.city(text, key)
        if label == "LOC":
            return place_draft(text, res.regions.get(key), "LOC")
        if label == "ORG":
            return self.completed_org(key) or self.org(doc, cand)
        if label in MISC_LABELS:
            if tokens[-1].lower().split("-")[-1] in res.role_heads:
                return None  # "the Governor-General" tagged FAC: a title, resolved like one
            return EntityDraft(id=f"misc:{slugify(text)}", name=text, type=label)
        return None

    def completed_org(self, key: str) -> EntityDraft | None:
        """ "the World Health" (the model stopped early), "Development Programme" (the UN's name
        left off): a name of two or more words that is a strict prefix or suffix of one
        curated organisation's name is that organisation (``_curated_name_pieces``)."""
        words = tuple(key.split())
        if len(words) < 2:
            return None
        entries = self._org_prefixes.get(words, set()) | self._org_suffixes.get(words, set())
        if len(entries) != 1:
            return None
        return self.known_org(next(iter(entries)))

    def handle(self, name: str) -> EntityDraft | None:
        """ "@Zemlobank", "@NATO": a social-media handle is an entity only when a table knows the
        name (an organisation, a country); an unknown handle is an account, not a name."""
        key = alias_key(name)
        org = self.res.orgs.get(key) or self.res.orgs.get(name)
        if org is not None:
            return self.known_org(org)
        iso3 = self.res.country_aliases.get(key)
        return self.country(iso3) if iso3 is not None else None

    def state_reference(self, doc: Doc, cand: Candidate, surnames: dict[str, str]) -> EntityDraft | None:
        """'the Australian Government', 'the Federal Government', 'the Blair Government',
        'Argentina's Government', 'the Government': the state itself. A country word (also the
        owner before a possessive) gives the country now; a leader, a bare 'Federal' or a bare
        'Government' is settled once the countries are known (``country:@`` ids, see
        ``fold_state_references``)."""
        res = self.res
        text = cand.text
        words = alias_key(text).split()
        if not words or words[-1] not in res.government_heads or not text[:1].isupper():
            return None
        if len(words) == 1:
            owner = possessive_owner(doc, cand.start)
            iso3 = res.country_of_text(owner) if owner else None
            if iso3 is not None:
                return self.country(iso3)  # "Argentina's Government"
            if owner is None:
                return EntityDraft(id="country:@state", name=text, type="GPE")
            return None
        modifier = " ".join(words[:-1])
        iso3 = res.country_of_text(modifier)
        if iso3 is not None:
            return self.country(iso3)
        if modifier in res.state_modifiers:
            return EntityDraft(id="country:@state", name=text, type="GPE")
        leader = text.split()[-2]
        full = surnames.get(leader)
        if full is not None:
            return EntityDraft(id=f"country:@{slugify(full)}", name=full, type="GPE")
        if len(words) == 2 and leader[:1].isupper():
            # "the Blair Government" with no Blair named: the office holder of that name
            return EntityDraft(id=f"country:@leader:{slugify(leader)}", name=leader, type="GPE")
        return None

    def likely_city(self, key: str, place_countries: frozenset[str]) -> bool:
        """Is a name the model typed as an organisation the city of that name? Only a big city
        or one in a country whose places the article names: "the Commonwealth" in an
        Australian story is no Philippine town."""
        if key in self.res.big_cities:
            return True
        variants = self.res.city_variants.get(key, {})
        largest = self.res.cities.get(key)
        return any(c in place_countries for c in variants) or (
            largest is not None and largest.country in place_countries
        )

    def national_body(self, name: str) -> EntityDraft:
        """A national institution named only by its common noun: its id takes the country's
        word once the country is known (``qualify_generic_orgs``)."""
        entity = EntityDraft(id=org_id(name), name=name, type="ORG")
        entity.generic = True
        return entity

    def namesake_at_home(self, key: str, iso3: str, article_countries: frozenset[str]) -> bool:
        """Is a capital's name here a place of a country the article names instead (a state,
        a province or a city there)?"""
        if not article_countries or iso3 in article_countries:
            return False
        res = self.res
        subdivision = res.subdivisions.get(key)
        if subdivision is not None and subdivision.country in article_countries:
            return True
        variants = res.city_variants.get(key, {})
        return (
            any(c in article_countries for c in variants) or res.petrarch.places.get(key) in article_countries
        )

    def city(self, text: str, key: str) -> EntityDraft:
        entity = place_draft(text, self.res.cities.get(key), "GPE")
        entity.city_key = key
        return entity

    def country(self, iso3: str) -> EntityDraft:
        return EntityDraft(
            id=f"country:{iso3}",
            name=self.res.country_names.get(iso3, iso3),
            type="GPE",
            country=iso3,
            known=True,
        )

    def known_org(self, org: OrgEntry) -> EntityDraft:
        return EntityDraft(
            id=org.id or org_id(org.name), name=org.name, type="ORG", country=org.country, known=True
        )

    def org_with_short(self, name: str, short: str) -> EntityDraft:
        known = self.res.orgs.get(alias_key(name))
        if known is not None:
            return self.known_org(known)
        entity = EntityDraft(id=org_id(short), name=name, type="ORG")
        entity.known = self.international(name)
        return entity

    def international(self, name: str) -> bool:
        """Does the name carry an international marker? "World" only opens or sits inside
        such names ("World Bank", "Muslim World League"); at the end it is a business or a
        park ("Adventure World", "Sea World")."""
        words = set(alias_key(name).split())
        if alias_key(name).endswith(" world"):
            words.discard("world")
        text = " " + alias_key(name) + " "
        return any(m in words or (" " in m and f" {m} " in text) for m in self.res.international_markers)

    def org(self, doc: Doc, cand: Candidate) -> EntityDraft:
        """An organisation outside the table. A generic national body takes its country's
        word into its name ('Serbian' + 'Interior Ministry' -> org:serbian-interior-ministry)."""
        res = self.res
        name = cand.text
        words = alias_key(name).split()
        generic = all(w in res.generic_org_words for w in words)
        country: str | None = None
        if generic:
            i = cand.start - 1
            if i >= 0 and doc[i].tag_ == "POS":
                i -= 1
            if i >= 0 and res.country_of_text(doc[i].text):
                j = i
                while j > 0 and res.country_of_text(doc[j - 1 : i + 1].text):
                    j -= 1
                country = res.country_of_text(doc[j : i + 1].text)
        listed = alias_key(name) in res.petrarch.groups
        if country is None and listed:
            country = res.petrarch.groups[alias_key(name)]  # "Taliban" -> AFG, "Red Crescent" -> None
        elif country is not None:
            name = f"{res.qualifiers.get(country, country)} {name}"
        entity = EntityDraft(
            id=org_id(name), name=name, type="ORG", country=country, known=country is not None or listed
        )
        entity.known = entity.known or self.international(name)
        entity.generic = generic and country is None
        return entity

    def person(self, name: str) -> EntityDraft:
        entity = EntityDraft(id=f"person:{slugify(name)}", name=name, type="PERSON")
        parts = name.split()
        if len(parts) > 1:
            entity.surnames.add(parts[-1])
        return entity
