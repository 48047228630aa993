"""Country and role of people and organisations, from the words around their mentions, the
clause they report, and at last the article's dominant country (docs/enrichment.md)."""

from __future__ import annotations

from spacy.tokens import Doc, Token

from services.nlp.entities.candidates import DETERMINERS
from services.nlp.entities.classify import LOCAL_FEATURES, EntityTyper, street_name
from services.nlp.entities.model import EntityDraft, EntityTable, Mention, org_id
from services.nlp.names import alias_key
from services.nlp.resources import NlpResources


def _governs(table: EntityTable, country: Mention, person_start: int) -> bool:
    """Is a country mention the subject or possessor of a word the person's name hangs under
    ("Norway substituted Berg", "Chile's attempt, by Rojas")?"""
    doc = table.doc
    token = doc[country.end - 1]
    if token.dep_ not in {"nsubj", "poss"}:
        return False
    return any(a.i == token.head.i for a in doc[person_start].ancestors)


class CountryAttributor:
    """Settles the country, role and coordinates of the entities of one article."""

    def __init__(self, res: NlpResources) -> None:
        self.res = res

    def attribute(
        self,
        doc: Doc,
        table: EntityTable,
        entity: EntityDraft,
        countries: set[str | None],
        published: str | None = None,
    ) -> None:
        """Coordinates of cities; country and role of persons and organisations. ``published``
        (YYYYMMDD) picks a person's office in force that day."""
        entity.mentions.sort(key=lambda m: m.start)
        if entity.city_key is not None:
            self._place(entity, entity.city_key, countries)
        if entity.type not in {"PERSON", "ORG"}:
            return
        if entity.type == "PERSON":
            longest = max(entity.mentions, key=lambda m: m.end - m.start)
            if longest.end - longest.start > 1:
                entity.name = doc[longest.start : longest.end].text.split("(")[0].strip()
        if entity.type == "ORG" and entity.country is None and not entity.known:
            self._country_in_name(doc, entity, countries)
        for m in entity.mentions:
            if entity.known and (entity.role or entity.type == "ORG"):
                break
            country, role, decided = self._context(doc, table, m)
            if not entity.known:
                entity.country = entity.country or country
                entity.known = decided or country is not None
            if entity.type == "PERSON":
                entity.role = entity.role or role
        if entity.type == "PERSON" and not entity.known:
            # office holders of the PETRARCH actor dictionary ("Tony Blair" -> GBR in 2001)
            listed, country = self.res.petrarch.person_country(entity.name, published)
            if listed:
                entity.country, entity.known = country, True
            elif alias_key(entity.name) in self.res.petrarch.groups:
                # a militant leader filed among groups (filed under its group, which has no country)
                entity.country, entity.known = self.res.petrarch.groups[alias_key(entity.name)], True

    def _country_in_name(self, doc: Doc, entity: EntityDraft, countries: set[str | None]) -> None:
        """A country word in an organisation's own name gives its country, before anything
        around it: "Japan Coast Guard", "National Australia Bank", "British Antarctic Survey
        (BAS) and Norwegian ..." (not NOR from the neighbour). So does a town its of-phrase
        names ("the University of Tampere"), the town in one of the article's ``countries``
        or else a big city."""
        for m in entity.mentions:
            ofs = [i for i in range(m.start + 1, m.end - 1) if doc[i].lower_ == "of"]
            if ofs:  # "Red Cross Society of China"
                tail = doc[ofs[-1] + 1 : m.end].text
                iso3 = self.res.country_of_text(tail) or self._town_country(alias_key(tail), countries)
                if iso3:
                    entity.country, entity.known = iso3, True
                    break
            for size in (3, 2, 1):
                # a country word in the name: "Japan Coast Guard", "National Australia Bank",
                # also last ("Team Norway", a national side)
                starts = range(m.start, m.end) if size == 1 else [m.start]
                iso3 = next(
                    (
                        found
                        for i in starts
                        if m.end - m.start > size
                        and (found := self.res.country_of_text(doc[i : i + size].text))
                    ),
                    None,
                )
                if iso3:
                    entity.country = iso3
                    entity.known = True
                    break
            if entity.country:
                break

    def _town_country(self, key: str, countries: set[str | None]) -> str | None:
        """The country of the town of that name in one of ``countries``, else of the big city
        of that name, else None."""
        variants = self.res.city_variants.get(key, {})
        here = sorted(c for c in variants if c in countries)
        if len(here) == 1:
            return here[0]
        largest = self.res.cities.get(key)
        if not here and key in self.res.big_cities and largest is not None:
            return largest.country
        return None

    def _place(self, entity: EntityDraft, key: str, countries: set[str | None]) -> None:
        """Which place a name means, first that applies: the largest city of that name when
        it lies in a country the article names; a state or province of such a country
        ("Victoria" in an Australian story); the largest city of that name in such a country,
        unless the largest anywhere is a big city and that one is not (Paris, not Paris, Texas);
        a state or province of that name unless a big city has it; the largest city anywhere;
        any state or province of that name; else the country the
        PETRARCH dictionary files the name under."""
        res = self.res
        largest = res.cities.get(key)
        variants = res.city_variants.get(key, {})
        subdivision = res.subdivisions.get(key)
        chosen = None
        if largest is not None and largest.country in countries:
            chosen = largest
        elif subdivision is not None and subdivision.country in countries:
            chosen = subdivision
        else:
            chosen = next((variants[c] for c in variants if c in countries), None)
            if chosen is not None and key in res.big_cities and (key, chosen.country) not in res.big_variants:
                chosen = None  # "Paris" in an American story is Paris, not Paris, Texas
        if chosen is None and subdivision is not None and key not in res.big_cities:
            # a state or province is better known than a town of its name abroad: "traveled
            # to Florida" is the American state, not the Cuban town
            chosen = subdivision
        place = chosen or largest or subdivision
        if place is not None:
            entity.country, entity.lat, entity.lon = place.country, place.lat, place.lon
        elif key in res.petrarch.places:
            entity.country = res.petrarch.places[key]

    def places_in_hosts(self, doc: Doc, table: EntityTable) -> None:
        """'Beaumont in Adelaide's eastern suburbs': a place the text locates in another place
        lies in that place's country (its namesake there, else a place the gazetteer lacks).
        Run once every place has its own country."""
        for entity in list(table.entities.values()):
            if entity.city_key is not None or (entity.type == "LOC" and not entity.known):
                self._place_in_host(doc, table, entity, entity.city_key)

    def _place_in_host(self, doc: Doc, table: EntityTable, entity: EntityDraft, key: str | None) -> None:
        for m in entity.mentions:
            j = m.end
            if j + 1 < len(doc) and doc[j].lower_ in {"in", "near"}:
                j += 1
                while j < len(doc) - 1 and (
                    doc[j].lower_ == "the" or doc[j].lower_ in self.res.compass_words
                ):
                    j += 1  # "in eastern Afghanistan"
                host_id = table.token_entity[j] if j < len(doc) else None
                host = table.entities.get(host_id) if host_id else None
                if host is None or host.id == entity.id or host.type not in {"GPE", "LOC"}:
                    continue
                if host.country is None or host.country == entity.country:
                    return
                variant = self.res.city_variants.get(key, {}).get(host.country) if key else None
                entity.country = host.country
                entity.lat = variant.lat if variant else None
                entity.lon = variant.lon if variant else None
                return

    def _context(self, doc: Doc, table: EntityTable, m: Mention) -> tuple[str | None, str | None, bool]:
        """(country, role, decided) from the words before a mention and its appositive.
        An organisation in the title ('NATO chief Mark Rutte') decides the country, even null."""
        res = self.res
        root = doc[m.start : m.end].root
        left = table.sentence(m.start).start
        country: str | None = None
        decided = False
        role_tokens: list[Token] = []
        for i in range(m.start - 1, max(left, m.start - 10) - 1, -1):
            tok = doc[i]
            other = table.token_entity[i]
            if other == m.entity_id:
                break
            if tok.lower_ in {"to", "in"} and role_tokens:
                if i == left or doc[i - 1].lower_ not in res.role_heads:
                    break  # "spoke to Russian President Putin": the verb's object, no title
                # "U.S. Ambassador to Manila": what follows "to" is the host, not the country
                country, decided = None, False
                role_tokens.insert(0, tok)
                continue
            if other is not None:
                o = table.entities[other]
                if other.startswith("country:"):
                    country = country or o.country
                    decided = True
                    continue
                if o.type == "ORG" and not decided and (o.country or o.known):
                    # "NATO chief Mark Rutte": null for an international body; an
                    # organisation of unknown country ("Norvik Bank's Ana Ruiz") says nothing
                    country, decided = o.country, True
                    continue
                break
            if (
                tok.tag_ == "POS"
                or tok.lower_ in DETERMINERS
                or tok.text in {"(", ")"}
                or (tok.is_punct and tok.text != "-")
            ):
                if role_tokens and tok.is_punct and tok.text not in {"(", ")"}:
                    break
                continue
            if tok.pos_ in {"PROPN", "NOUN", "ADJ"} or tok.lower_ in {"of", "-", "and"}:
                role_tokens.insert(0, tok)
            else:
                break
        role = role_text(role_tokens, res.role_heads)
        # "Lloyd Austin, the U.S. defense secretary," -> the appositive carries both;
        # so does the noun a name is in apposition to ("the head of the IMF mission, Porter").
        if not decided or role is None:
            appositions = [c for c in root.children if c.dep_ == "appos"]
            if root.dep_ == "appos":
                appositions.append(root.head)
            for child in appositions:
                sub = [t for t in child.subtree if not (m.start <= t.i < m.end)]
                if child.i == root.head.i:
                    sub = [t for t in sub if t.i < m.start]
                for tok in sub:
                    other = table.token_entity[tok.i]
                    if other is None or decided or other == m.entity_id:
                        continue  # "Sudanese Armed Forces (SAF)": its own acronym says nothing
                    o = table.entities[other]
                    if other.startswith("country:") or (o.type == "ORG" and (o.country or o.known)):
                        country, decided = o.country, True  # not an org of unknown country
                if not decided and any(t.lower_ in {"its", "their"} for t in sub):
                    # "Its spokesman, Lin Jian,": the owner is the previous sentence's subject
                    country = self._previous_subject_country(doc, table, m.start)
                    decided = country is not None
                words = [
                    t
                    for t in sub
                    if table.token_entity[t.i] is None
                    and t.lower_ not in DETERMINERS
                    and t.tag_ != "POS"
                    and not t.is_punct
                ]
                role = role or role_text(words, res.role_heads)
        if not decided and m.end + 1 < len(doc) and doc[m.end].lower_ in {"in", "of"}:
            # "the Joint Chiefs of Staff in Seoul"
            other = table.token_entity[m.end + 1]
            if other is not None and table.entities[other].type in {"GPE", "LOC"}:
                country = table.entities[other].country
                decided = country is not None
        if not decided and role and role.lower() in res.international_roles:
            decided = True  # "Secretary General Mark Rutte" speaks for an international body
        return country, role, decided

    @staticmethod
    def _previous_subject_country(doc: Doc, table: EntityTable, at: int) -> str | None:
        """Country of the country or organisation in the previous sentence's subject
        ("China's foreign ministry criticised ... Its spokesman")."""
        start = table.sentence(at).start
        if start == 0:
            return None
        prev = table.sentence(start - 1)
        for tok in prev:
            if tok.dep_ in {"nsubj", "nsubjpass"} and tok.head == prev.root:
                for sub in tok.subtree:
                    other = table.token_entity[sub.i]
                    if other is None:
                        continue
                    o = table.entities[other]
                    if o.country and (other.startswith("country:") or o.type == "ORG"):
                        return o.country
        return None

    @staticmethod
    def dominant_country(table: EntityTable) -> str | None:
        """The country with most mentions over itself and its places; in a story that names no
        place, over its national organisations ("the Australian Prudential Regulation
        Authority" makes a royal commission story Australian)."""
        for types in ({"GPE", "LOC"}, {"ORG"}):
            weight: dict[str, int] = {}
            for e in table.entities.values():
                if e.country and e.type in types:
                    weight[e.country] = weight.get(e.country, 0) + len(e.mentions)
            if weight:
                return max(weight, key=lambda c: weight[c])
        return None

    def fallback_countries(self, doc: Doc, table: EntityTable) -> None:
        """A person, organisation or place nothing else ties to a country takes the
        article's dominant country (most mentions over countries and their cities)."""
        dominant = self.dominant_country(table)
        if dominant is None:
            return
        for e in table.entities.values():
            if e.country is None and not e.known and e.type == "PERSON":
                e.country = self._speaker_for(doc, table, e) or self._title_org_country(
                    doc, table, e, dominant
                )
                if e.country is None:
                    e.country = self._nearby_country(table, e, dominant)
                    e.fallback = e.country is not None
        for e in table.entities.values():
            local = e.type == "LOC" and (
                e.local
                or e.name.split()[-1].lower() in LOCAL_FEATURES
                or street_name(self.res, e.name.split())
                or e.name.split()[0].lower() in self.res.building_words
            )
            if e.country is None and not e.known and local:
                # "the hotel du Palais" in a Paris item of an Australian bulletin
                e.country = self._nearby_country(table, e, dominant) or dominant
                e.fallback = True
            if e.country is None and not e.known and e.type in {"PERSON", "ORG", "GPE"}:
                e.country = dominant
                e.fallback = True

    @staticmethod
    def _title_org_country(doc: Doc, table: EntityTable, person: EntityDraft, dominant: str) -> str | None:
        """'Harbourline vice-president Ida Park': the country of the organisation in
        the person's title; the dominant country for one nothing else places (as it will get)."""
        for m in person.mentions:
            for i in range(m.start - 1, max(-1, m.start - 6), -1):
                other = table.token_entity[i]
                if other is not None:
                    o = table.entities[other]
                    if o.type != "ORG":
                        return None
                    return o.country if o.known else o.country or dominant
                tok = doc[i]
                title_word = tok.is_title or tok.is_lower or tok.text == "-"
                if not title_word or (tok.is_punct and tok.text != "-"):
                    break
        return None

    @staticmethod
    def _nearby_country(table: EntityTable, person: EntityDraft, dominant: str) -> str | None:
        """A person (or a local place) far from every mention of the article's dominant country
        by name (no mention of the country itself two sentences either side of the first one
        naming the person; its cities do not count: a Spanish player at a tournament in Perth)
        belongs to another story of the same copy, or plays for another country: the country of
        the sentence that names the person, else of the nearest of the two before it (most
        mentions over countries and their places; ties go to the first named). Davis Cup players
        before a Middle East item do not become Israelis."""
        sent_of = table.sentence_numbers()
        start = person.mentions[0].start
        first = sent_of[start]
        by_sentence: dict[int, list[str]] = {}
        named_countries: dict[int, set[str]] = {}
        leading: set[str] = set()
        for m in table.mentions_in_order():
            e = table.entities[m.entity_id]
            if e.country and e.type in {"GPE", "LOC"}:
                by_sentence.setdefault(sent_of[m.start], []).append(e.country)
                if e.id.startswith("country:"):
                    named_countries.setdefault(sent_of[m.start], set()).add(e.country)
                    if sent_of[m.start] == first and m.start < start and _governs(table, m, start):
                        leading.add(e.country)
        if len(leading) == 1 and dominant not in leading:
            # "Norway substituted Berg ...", "Panama's attempt, by ...": the one country that
            # is the subject or owner of the phrase naming the person, not the dominant one
            return next(iter(leading))
        if any(dominant in named_countries.get(n, ()) for n in range(first - 2, first + 3)):
            return None
        for n in (first, first - 1, first - 2):
            named = by_sentence.get(n)
            if named:
                return max(named, key=lambda c: (named.count(c), -named.index(c)))
        return None

    def _speaker_for(self, doc: Doc, table: EntityTable, person: EntityDraft) -> str | None:
        """The country a spokesperson speaks for: "Japan will send a team ..., spokeswoman
        Maki Kobayashi said" -> JPN, from the subject of the reported clause."""
        for m in person.mentions:
            root = doc[m.start : m.end].root
            verb = root.head
            if root.dep_ != "nsubj" or verb.lemma_.lower() not in self.res.reporting:
                continue
            for clause in (c for c in verb.children if c.dep_ in {"ccomp", "parataxis"}):
                for subj in (c for c in clause.children if c.dep_ in {"nsubj", "nsubjpass"}):
                    ids = [table.token_entity[t.i] for t in subj.subtree]
                    for other in ids:
                        if other is None or other == person.id:
                            continue
                        o = table.entities[other]
                        if o.country and (other.startswith("country:") or o.type == "ORG"):
                            return o.country
        return None

    def qualify_generic_orgs(self, table: EntityTable) -> None:
        """'The Department of Foreign Affairs in Manila' -> org:philippine-department-of-...:
        a national body the text names only generically gets its country's word in the id."""
        for entity in list(table.entities.values()):
            if not entity.generic or entity.country is None:
                continue
            name = f"{self.res.qualifiers.get(entity.country, entity.country)} {entity.name}"
            new_id = org_id(name)
            if new_id in table.entities:
                # "Parliament" after "the Indian Parliament": one organisation
                table.merge(entity.id, new_id)
                continue
            del table.entities[entity.id]
            old_id, entity.id, entity.name = entity.id, new_id, name
            table.entities[new_id] = entity
            for m in entity.mentions:
                m.entity_id = new_id
            table.token_entity = [new_id if t == old_id else t for t in table.token_entity]

    def fold_state_references(
        self, table: EntityTable, typer: EntityTyper, published: str | None = None
    ) -> bool:
        """'the Federal Government' -> the article's dominant country; 'the Blair Government'
        -> the country of the person named, or of the office holder of that name on the day
        ``published`` (YYYYMMDD) in the PETRARCH actor dictionary (``country:@`` drafts of the
        typer). True when one became a country."""
        folded = False
        for entity in [e for e in table.entities.values() if e.id.startswith("country:@")]:
            if entity.id == "country:@state":
                iso3 = self.dominant_country(table)
            elif entity.id.startswith("country:@leader:"):
                iso3 = self.res.petrarch.office_country(entity.name, published)
            else:
                person = table.entities.get("person:" + entity.id.split("@", 1)[1])
                iso3 = person.country if person is not None else None
            if iso3 is None:
                table.drop(entity.id)
                continue
            country = f"country:{iso3}"
            if country not in table.entities:
                table.entities[country] = typer.country(iso3)
            table.merge(entity.id, country)
            folded = True
        return folded


def role_text(tokens: list[Token], heads: frozenset[str]) -> str | None:
    words = list(tokens)
    while words and words[0].lower_ in {"of", "-"}:
        words.pop(0)
    if not words or not any(t.lower_ in heads for t in words) or words[-1].lower_ == "of":
        return None
    return " ".join(t.text for t in words)
