"""Candidate spans: NER spans cleaned and split, names the model missed after a title, and
adjacent person pieces merged (docs/enrichment.md, rule 1 and "Titled names")."""

from __future__ import annotations

import itertools

from spacy.tokens import Doc, Span, Token

from services.nlp.entities.classify import followed_by_org_title
from services.nlp.entities.model import Candidate
from services.nlp.names import alias_key
from services.nlp.resources import NlpResources

#: NER labels that never become entities (numbers, dates and amounts).
SKIP_LABELS = frozenset({"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"})
DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those"})
RIVER_WORDS = frozenset({"river"})
#: Prepositions that complete an organisation's head noun ("Commission into ...").
_COMPLETING_PREPS = frozenset({"into", "of", "for", "on"})
#: Lower-case words inside an organisation's name ("Board for the Care of Herons").
_NAME_LINKS = frozenset({"of", "for", "and", "the", "on", "&"})
#: Prepositions that, lower-case inside an organisation's span, may start another name
#: ("a report by Ernst and Young on HIH's solvency").
_SEPARATING_PREPS = frozenset({"on", "at", "in", "about", "against", "over", "with", "from", "to", "by"})


#: Words that label a picture's caption before its credit ("Image: Reuters").
_CAPTION_LABELS = frozenset({"image", "photo", "picture"})


def _letters_and_digits(text: str) -> bool:
    return any(c.isalpha() for c in text) and any(c.isdigit() for c in text)


def _capitalised(tok: Token) -> bool:
    return tok.is_alpha and tok.text[:1].isupper()


def _agent_noun(tok: Token) -> bool:
    """A follower's or practitioner's noun by its suffix ("Methodist", "Calvinist"), not a
    Nordic surname in -quist/-qvist."""
    lower = tok.lower_
    return len(lower) > 5 and lower.endswith("ist") and not lower.endswith(("quist", "qvist"))


#: Endings of nouns for a doctrine or an aversion ("liberalism", "xenophobia").
_DOCTRINE_SUFFIXES = ("ism", "isms", "phobia", "phobias")


def _plural_kind_before(doc: Doc, start: int) -> bool:
    """A lowercase plural common noun right before ``start`` ("the schools A and B")."""
    return start >= 1 and doc[start - 1].tag_ == "NNS" and doc[start - 1].is_lower


class CandidateFinder:
    """Finds the candidate spans of one parsed article."""

    def __init__(self, res: NlpResources, common_nouns: frozenset[int] = frozenset()) -> None:
        self.res = res
        #: Ids (``Token.lower``) of words that are also common nouns ("Scientist" opening a
        #: sentence is no name).
        self.common_nouns = common_nouns

    def candidates(self, doc: Doc) -> list[Candidate]:
        """Every span that may become an entity, in text order."""
        out: list[Candidate] = []
        for ent in doc.ents:
            if ent.label_ in SKIP_LABELS:
                continue
            start, end = self._clean_bounds(ent)
            pieces = [(start, end)]
            cuts = [
                i
                for i in range(start + 1, end - 1)
                if doc[i].tag_ == "POS" and self._owner_before(doc, start, i)
            ]
            if cuts and ent.label_ != "PERSON":
                # "the Treasury Department's Office of Foreign Assets Control": two orgs
                bounds = [start, *cuts, end]
                pieces = [(a if k == 0 else a + 1, b) for k, (a, b) in enumerate(itertools.pairwise(bounds))]
            label = ent.label_
            if label in {"ORG", "GPE", "NORP", "FAC"} and len(pieces) == 1:
                # "American Ed Moses" tagged ORG: the country word, then the person
                lead = start
                while lead < end - 2 and self.res.country_of_text(doc[lead].text):
                    lead += 1
                if doc[ent.start].lower_ != "the" and self.personal_name(doc, lead, end):
                    if lead > start:
                        out.append(Candidate(start, lead, "NORP", doc[start:lead].text))
                    label, pieces = "PERSON", [(lead, end)]
            if label == "ORG" and len(pieces) == 1:
                # "spokeswoman Dian Pratiwi" tagged ORG; "[Industry and Trade Nguyen Hong
                # Dien]" after "Minister of": the name at the end is the person
                for size in range(min(4, end - start), 1, -1):
                    if self.titled_name(doc, end - size, end):
                        label, pieces = "PERSON", [(end - size, end)]
                        break
            if label == "ORG" and len(pieces) == 1:
                cut = self._name_after_org(doc, start, end)
                if cut is not None:
                    # "the Consumers Union Maria Lopez said": no comma between the organisation
                    # and the name of its spokesperson, the model ran them into one span
                    self._add_candidate(doc, "ORG", start, cut, out)
                    label, pieces = "PERSON", [(cut, end)]
            for start, end in pieces:
                self._add_candidate(doc, label, start, end, out)
        out.extend(self._untagged_titled_names(doc))
        out.extend(self._untagged_title_owners(doc, out))
        out = self._complete_from_longer_names(doc, out)
        out = self._join_completed_orgs(doc, out)
        self._complete_org_names(doc, out)
        out = self._cut_at_other_names(doc, out)
        out = self._glossed_groups(doc, out)
        self._leaders_governments(doc, out)
        return self._merge_adjacent_persons(doc, out)

    def _name_after_org(self, doc: Doc, start: int, end: int) -> int | None:
        """Where a personal name (two or three words from a PETRARCH first name) that ends an
        organisation's span starts, when at least two capitalised name words of the
        organisation come before it and the parse hangs them on the name; a first name that is
        also a common noun ("the National Park Service") is no evidence."""
        res = self.res
        if doc[end - 1].lower_ in res.org_heads:
            return None
        for size in (2, 3):
            cut = end - size
            if (
                cut - start >= 2
                and _capitalised(doc[cut - 1])
                and cut <= doc[cut - 1].head.i < end
                and doc[cut].lower not in self.common_nouns
                and doc[cut - 1].lower_ not in res.petrarch.first_names
                and self.personal_name(doc, cut, end)
            ):
                return cut
        return None

    def _leaders_governments(self, doc: Doc, cands: list[Candidate]) -> None:
        """ "the Bush administration", "the Museveni government" with only the surname tagged:
        the surname and the government noun after it are one state reference (the typer's
        "<leader> Government", settled by the office holder of that name)."""
        heads = self.res.government_heads
        for n, cand in enumerate(cands):
            if (
                cand.label == "PERSON"
                and cand.end - cand.start == 1
                and cand.end < len(doc)
                and doc[cand.end].lower_ in heads
                and doc[cand.start].head.i == cand.end  # the surname modifies the noun
            ):
                cands[n] = Candidate(cand.start, cand.end + 1, "ORG", doc[cand.start : cand.end + 1].text)

    def _glossed_groups(self, doc: Doc, cands: list[Candidate]) -> list[Candidate]:
        """ "the Hizb (Party) movement", "the Narodna (People's) reform alliance":
        a name glossed in brackets before a group noun is an organisation named by its own
        words, whatever the model made of them; the gloss is a translation, no entity. (An
        acronym in brackets is the name's short form: the acronym rules read it.)"""
        heads = self.res.glossed_group_heads
        out = cands
        for opening in (t for t in doc if t.text == "("):
            i = opening.i
            if i == 0 or not _capitalised(doc[i - 1]) or doc[i - 1].pos_ != "PROPN":
                continue
            close = next((k for k in range(i + 2, min(len(doc), i + 8)) if doc[k].text == ")"), None)
            if close is None or doc[i + 1 : close].text.strip("'\"").isupper():
                continue
            k = close + 1
            while k < min(len(doc), close + 3) and doc[k].is_lower and doc[k].lower_ not in heads:
                k += 1  # "opposition coalition"
            if k >= len(doc) or doc[k].lower_ not in heads:
                continue
            start = i - 1
            while start > 0 and doc[start - 1].pos_ == "PROPN" and _capitalised(doc[start - 1]):
                start -= 1
            out = [c for c in out if c.end <= start or c.start > close]
            out.append(Candidate(start, i, "ORG", doc[start:i].text))
        if out is not cands:
            out.sort(key=lambda c: c.start)
        return out

    @staticmethod
    def _complete_from_longer_names(doc: Doc, cands: list[Candidate]) -> list[Candidate]:
        """'the West Antarctic Ice' + untagged 'Sheet', where the article also tags 'the West
        Antarctic Ice Sheet': a span the next capitalised words make into a longer name of the
        same article is that name."""
        texts = {c.text for c in cands}
        starts = {c.start for c in cands}
        for cand in cands:
            for extra in (1, 2):
                end = cand.end + extra
                if end > len(doc) or any(
                    i in starts or not doc[i].text[:1].isupper() or doc[i].ent_type_
                    for i in range(cand.end, end)
                ):
                    break
                if doc[cand.start : end].text in texts:
                    cand.end = end
                    cand.text = doc[cand.start : end].text
                    break
        return cands

    def _join_completed_orgs(self, doc: Doc, cands: list[Candidate]) -> list[Candidate]:
        """'The Royal Commission' + 'into the Building Industry' tagged as two spans: an
        organisation's head noun completed by an of/into/for/on phrase naming another
        capitalised span is one organisation."""
        out: list[Candidate] = []
        for cand in cands:
            prev = out[-1] if out else None
            if prev is not None and prev.label == cand.label == "ORG" and cand.start > prev.end:
                gap = [t.lower_ for t in doc[prev.end : cand.start]]
                if (
                    gap[0] in _COMPLETING_PREPS
                    and gap[1:] in ([], ["the"])
                    and doc[prev.end - 1].lower_ in self.res.org_heads
                    and doc[prev.end - 1].text[:1].isupper()
                    and doc[cand.start].text[:1].isupper()
                ):
                    prev.end = cand.end
                    prev.text = doc[prev.start : prev.end].text
                    continue
            out.append(cand)
        return out

    def _untagged_name_run(self, doc: Doc, start: int, taken: set[int]) -> list[int]:
        """Ends (exclusive) of the runs of untagged capitalised words from ``start`` on, inner
        lower-case of/for/and/the allowed ("Board for the Care of Herons"): each end is after a
        capitalised word."""
        ends: list[int] = []
        i = start
        while i < min(len(doc), start + 8) and i not in taken and not doc[i].ent_type_:
            tok = doc[i]
            if _capitalised(tok) and tok.pos_ in {"PROPN", "NOUN"}:
                ends.append(i + 1)
            elif not (tok.is_lower and tok.lower_ in _NAME_LINKS):
                break
            i += 1
        return ends

    def _complete_org_names(self, doc: Doc, cands: list[Candidate]) -> None:
        """Organisation spans the model ended too early: a name the curated table knows once the
        untagged capitalised words after the span are added ("the United Nations" + "High
        Commissioner for Refugees"); an organisation's head noun whose of/for/on/into phrase
        names its purpose in untagged capitalised words ("the Board" + "for the Care of
        Herons"), the preposition hanging on the head."""
        taken = {i for c in cands for i in range(c.start, c.end)}
        absorbed: set[int] = set()
        for cand in cands:
            if cand.label != "ORG" or cand.end >= len(doc) or id(cand) in absorbed:
                continue
            ends = self._untagged_name_run(doc, cand.end, taken)
            known = next(
                (e for e in reversed(ends) if alias_key(doc[cand.start : e].text) in self.res.orgs), None
            )
            if known is None:
                prep = doc[cand.end]
                last = doc[cand.end - 1]
                first = cand.end + 1 + (cand.end + 1 < len(doc) and doc[cand.end + 1].lower_ == "the")
                if (
                    prep.lower_ in _COMPLETING_PREPS
                    and prep.is_lower
                    and prep.head.i == last.i
                    and last.lower_ in self.res.org_heads
                    and _capitalised(last)
                ):
                    run = self._untagged_name_run(doc, first, taken)
                    known = run[-1] if run else None
            if known is None and cand.end + 1 < len(doc) and doc[cand.end].lower_ in {"and", "&"}:
                # "the League of Tin Miners and Smelters": a capitalised conjunct of a word of the
                # name's of-phrase completes it (the model may tag it as a name of its own)
                of = next((i for i in range(cand.start + 1, cand.end - 1) if doc[i].lower_ == "of"), None)
                k = cand.end + 1
                while k < min(len(doc), cand.end + 4) and _capitalised(doc[k]) and doc[k].pos_ == "PROPN":
                    k += 1
                head = next(
                    (t for t in doc[cand.end + 1 : k] if not cand.end < t.head.i < k or t.head.i == t.i), None
                )
                if (
                    of is not None
                    and head is not None
                    and head.dep_ == "conj"
                    and of < head.head.i < cand.end
                    and (k >= len(doc) or not (_capitalised(doc[k]) or doc[k].lower_ in {"of", "for"}))
                ):
                    known = k
                    absorbed.update(id(o) for o in cands if o is not cand and cand.end < o.end <= k)
            if known is not None:
                taken.update(range(cand.end, known))
                cand.end = known
                cand.text = doc[cand.start : known].text
        if absorbed:
            cands[:] = [c for c in cands if id(c) not in absorbed]

    def _cut_at_other_names(self, doc: Doc, cands: list[Candidate]) -> list[Candidate]:
        """'Ernst and Young on HIH's' tagged as one span: a lower-case preposition inside an
        organisation's span, followed by a name the article tags or knows on its own, ends
        the organisation; the rest is that other name."""
        others = {alias_key(c.text): c.label for c in cands}
        out: list[Candidate] = []
        for cand in cands:
            cut = None
            if cand.label == "ORG":
                for i in range(cand.start + 1, cand.end - 1):
                    if doc[i].lower_ not in _SEPARATING_PREPS or not doc[i].is_lower:
                        continue
                    rest = alias_key(doc[i + 1 : cand.end].text)
                    if (rest in others and rest != alias_key(cand.text)) or rest in self.res.orgs:
                        cut = i
                        break
            if cut is None:
                out.append(cand)
                continue
            rest_key = alias_key(doc[cut + 1 : cand.end].text)
            end = cand.end
            while end > cut + 1 and doc[end - 1].tag_ == "POS":
                end -= 1
            out.append(Candidate(cand.start, cut, "ORG", doc[cand.start : cut].text))
            out.append(Candidate(cut + 1, end, others.get(rest_key, "ORG"), doc[cut + 1 : end].text))
        return out

    def titled_name(self, doc: Doc, start: int, end: int) -> bool:
        """Is ``doc[start:end]`` a personal name under a role word ("spokeswoman Dian
        Pratiwi", "Minister of Industry and Trade Nguyen Hong Dien")? The name's head has a
        role-head dependent before the span; every word is a capitalised proper noun that is
        no organisation, country or generic organisation word."""
        res = self.res
        if not 2 <= end - start <= 4:
            return False
        words = doc[start:end]
        if any(
            not (t.is_alpha and t.text[:1].isupper() and t.pos_ == "PROPN")
            or t.lower_ in res.generic_org_words
            or t.lower_ in res.role_heads
            or t.lower_ in res.honorifics
            or res.country_of_text(t.text)
            for t in words
        ):
            return False
        if alias_key(words.text) in res.orgs:
            return False
        root = words.root
        if any(
            c.i < start and c.dep_ in {"compound", "nmod", "amod"} and c.lower_ in res.role_heads
            for c in root.children
        ):
            return True
        # the words before run back to a role head over title words only
        # ("Minister of Industry and Trade", "foreign ministry spokeswoman"); a comma may set the
        # name off as the title's appositive ("the head of security, Ana Reyes")
        comma = start > 0 and doc[start - 1].text == ","
        for i in range(start - 1 - comma, max(-1, start - 7 - comma), -1):
            t = doc[i]
            if t.lower_ in res.role_heads and (not comma or t.is_lower):
                return True
            if not (t.lower_ in res.title_fragments or t.lower_ in {"of", "and", "&"}):
                return False
        return False

    def _untagged_title_owners(self, doc: Doc, cands: list[Candidate]) -> list[Candidate]:
        """ "Zorbly co-founder Ana Reyes" with "Zorbly" untagged: capitalised words the model
        left untagged right before a title only an organisation has, itself right before a
        person's name, name that organisation (not a common noun, no country word). Read back
        from each person's name, not over every token."""
        taken = {i for c in cands for i in range(c.start, c.end)}
        out: list[Candidate] = []
        for person in [c for c in cands if c.label == "PERSON"]:
            end = person.start  # the title's words run back from the name: lower case, hyphens
            while end > max(0, person.start - 4) and (doc[end - 1].is_lower or doc[end - 1].text == "-"):
                end -= 1
            if end == person.start or end == 0:
                continue
            tok = doc[end - 1]
            if (
                tok.i in taken
                or tok.ent_type_
                or not _capitalised(tok)
                or tok.lower in self.common_nouns
                or self.res.country_of_text(tok.text)
                or not followed_by_org_title(self.res, doc, end)
            ):
                continue
            start = tok.i
            while (
                start > 0
                and _capitalised(doc[start - 1])
                and start - 1 not in taken
                and not doc[start - 1].ent_type_
            ):
                start -= 1
            taken.update(range(start, end))
            out.append(Candidate(start, end, "ORG", doc[start:end].text, company=True))
        return out

    def _untagged_titled_names(self, doc: Doc) -> list[Candidate]:
        """Names the model left untagged after a title: the proper-noun compound chain of a
        head word that has a role-head dependent ("Minister of ... Nguyen Hong Dien")."""
        out: list[Candidate] = []
        for tok in doc:
            if tok.ent_type_ or tok.pos_ != "PROPN" or tok.dep_ == "compound":
                continue
            start = tok.i
            while (
                start > 0
                and doc[start - 1].dep_ == "compound"
                and doc[start - 1].head == tok
                and not doc[start - 1].ent_type_
            ):
                start -= 1
            if self.titled_name(doc, start, tok.i + 1):
                out.append(Candidate(start, tok.i + 1, "PERSON", doc[start : tok.i + 1].text))
        return out

    def _owner_before(self, doc: Doc, start: int, pos: int) -> bool:
        """Is the text before a possessive inside a span an owner of its own ("the Treasury
        Department's Office ...", "Russia's Defence Ministry") rather than part of one name
        ("People's Liberation Army", "UN Children's Fund")?"""
        owner = doc[start:pos].text
        return (
            bool(self.res.country_of_text(owner))
            or alias_key(owner) in self.res.orgs
            or (
                doc[pos - 1].lower_
                in {
                    "department",
                    "ministry",
                    "office",
                    "agency",
                    "council",
                    "government",
                    "commission",
                    "service",
                    "bureau",
                }
            )
        )

    def _add_candidate(self, doc: Doc, label: str, start: int, end: int, out: list[Candidate]) -> None:
        """One NER span (or piece of one) -> zero, one or two candidates."""
        res = self.res
        while start < end and doc[start].lower_ in DETERMINERS:
            start += 1
        if start >= end:
            return
        if label != "PERSON":
            # "according to Halvorsen the Vexist archive": a lower-case article right after a
            # name word (no preposition before it) opens the next noun phrase, not the name
            cut = next(
                (
                    i
                    for i in range(start + 1, end - 1)
                    if doc[i].lower_ in DETERMINERS
                    and doc[i].is_lower
                    and doc[i].dep_ == "det"
                    and doc[i].head.i > i
                    and _capitalised(doc[i - 1])
                    and doc[i - 1].pos_ not in {"ADP", "CCONJ", "SCONJ", "DET", "PART", "PRON"}
                ),
                None,
            )
            if cut is not None:
                self._add_candidate(doc, label, start, cut, out)
                self._add_candidate(doc, label, cut + 1, end, out)
                return
        # "World Health Organization (WHO)" tagged as one span: split it.
        inner = [i for i in range(start, end) if doc[i].text == "("]
        if inner and end < len(doc) and doc[end].text == ")" and doc[end - 1].text != ")":
            end += 1  # "Movement for Democratic Change (MDC" tagged without its ")"
        if inner and end - 1 > inner[0] + 1 and doc[end - 1].text == ")":
            p = inner[0]
            out.append(Candidate(start, p, label, doc[start:p].text))
            out.append(Candidate(p + 1, end - 1, label, doc[p + 1 : end - 1].text))
            return
        # "Sumy and Odesa" tagged as one span: split at "and" when both sides are places.
        ands = [i for i in range(start + 1, end - 1) if doc[i].lower_ == "and"]
        if ands and label in {"GPE", "ORG", "LOC"}:
            a = ands[0]
            r_start = a + 1 + (doc[a + 1].lower_ in DETERMINERS)
            left, right = doc[start:a].text, doc[r_start:end].text
            if all(
                alias_key(t) in res.cities or alias_key(t) in res.regions or res.country_of_text(t)
                for t in (left, right)
            ):
                out.append(Candidate(start, a, "GPE", left))
                out.append(Candidate(r_start, end, "GPE", right))
                return
            if label in {"ORG", "FAC"} and len(ands) == 1 and _plural_kind_before(doc, start):
                # "the rowing clubs Alder and Wrenfield": a plural common noun
                # right before the coordination says each conjunct names one of them
                out.append(Candidate(start, a, label, left))
                out.append(Candidate(r_start, end, label, right))
                return
        if (
            label in {"ORG", "PERSON"}
            and end - start == 1
            and doc[start].lower_.endswith(_DOCTRINE_SUFFIXES)
            and doc[start].lower in self.common_nouns
        ):
            return  # "driven by Hispanophobia": a doctrine's or an aversion's noun names no body
        if label == "ORG":
            # "Harbour Kite Society of Wales" tagged from "Society": untagged capitalised proper
            # nouns compounded onto the name's head are the start of the name
            while (
                start > 0
                and doc[start - 1].pos_ == "PROPN"
                and _capitalised(doc[start - 1])
                and doc[start - 1].ent_iob_ == "O"
                and doc[start - 1].lower_.rstrip(".") not in res.honorifics | res.role_heads
                and doc[start - 1].dep_ == "compound"
                and start <= doc[start - 1].head.i < end
            ):
                start -= 1
        if label == "PERSON":
            start, end = self._extend_person(doc, start, end)
        if (
            label in {"ORG", "FAC"}
            and start >= 2
            and doc[start - 1].lower_ in res.name_particles | {"du", "des"}
            and doc[start - 2].lower_ in res.building_words
        ):
            start -= 2  # "the hotel du Palais": the building's name, kind word and all
        # "the Teesta River" -> the river Teesta
        if (end < len(doc) and doc[end].lower_ in RIVER_WORDS and label != "PERSON") or (
            label == "PERSON" and end < len(doc) and doc[end].lower_ in RIVER_WORDS
        ):
            label = "RIVER"
        text = doc[start:end].text
        if label in {"GPE", "LOC"} and end - start == 1 and _letters_and_digits(text):
            label = "PRODUCT"  # "IE6", "A380": a model's code, no place has one for a name
        if label == "PERSON" and "(" in text:
            text = text.split("(")[0].strip()  # "Dravid(c" is one token: the name stops at "("
        out.append(Candidate(start, end, label, text))

    def _clean_bounds(self, span: Span) -> tuple[int, int]:
        """Drop leading determiners/honorifics and trailing possessives/punctuation; a person's
        span also loses a leading lower-case descriptor ("scientist Mara Quist"), anything
        from a parenthesis on ("Rahul Dravid (c)") and post-nominal letters ("QC")."""
        doc = span.doc
        res = self.res
        honorifics = res.honorifics
        particles = res.name_particles
        person = span.label_ == "PERSON"
        start, end = span.start, span.end
        while start < end and (
            doc[start].lower_ in DETERMINERS
            or (
                doc[start].lower_ in honorifics
                and end - start > 1
                and (person or _capitalised(doc[start + 1]))
            )
            # "Sheikh Omar Haddad", but "Sheikh Hasina": a title word goes when a full name is left
            or (person and doc[start].lower_ in res.role_heads and end - start > 2)
            or (person and end - start > 1 and doc[start].is_lower and doc[start].lower_ not in particles)
        ):
            start += 1
        if person:
            paren = next((i for i in range(start + 1, end) if doc[i].text == "("), None)
            if paren is not None:
                end = paren
            while end - start > 1 and doc[end - 1].lower_.rstrip(".") in res.post_nominals:
                end -= 1
        if (
            span.label_ != "PERSON"
            and end - start > 1
            and doc[end - 1].is_digit
            and res.country_of_text(doc[start : end - 1].text)
        ):
            end -= 1  # "putting Sweden 1 - 0 up": a score after the country, no name of its own
        if span.label_ == "ORG":
            # "the Adventure World company": the common noun describes the name
            while end - start > 1 and doc[end - 1].is_lower and doc[end - 1].lemma_ in res.organisation_nouns:
                end -= 1
        if (
            end - start > 1
            and end < len(doc)
            and doc[end].text == ":"
            and doc[end - 1].lower_ in _CAPTION_LABELS
        ):
            end -= 1  # "... Lena Park Image: Reuters": a picture's caption, then its credit
        while end > start and (
            doc[end - 1].tag_ == "POS"
            or doc[end - 1].lower_ in {"'s", "'", "\u2019s"}
            or (doc[end - 1].is_punct and doc[end - 1].text not in {".", ")"})
            or (doc[end - 1].is_lower and doc[end - 1].pos_ in {"ADP", "DET", "CCONJ", "PART"})
        ):
            end -= 1
        return start, end

    def personal_name(self, doc: Doc, start: int, end: int) -> bool:
        """Is a span the model typed otherwise a person's name? Two or three capitalised words,
        none an organisation or place word, the first a first name of the PETRARCH people
        list ("Tobias Renk", "Marit Olsen" after a first name the list knows)."""
        res = self.res
        words = doc[start:end]
        if not 2 <= len(words) <= 3 or alias_key(words.text) in res.orgs:
            return False
        if any(
            not (t.is_alpha and t.text[:1].isupper() and not t.is_upper)
            or t.lower_ in res.generic_org_words
            or t.lower_ in res.role_heads
            or res.country_of_text(t.text)
            for t in words
        ):
            return False
        first = words[0].lower_
        return (
            first in res.petrarch.first_names
            and first not in res.big_cities
            and first not in res.subdivisions
        )

    def _extend_person(self, doc: Doc, start: int, end: int) -> tuple[int, int]:
        """Grow a PERSON span over untagged name words the model left out
        ('MaryKay' in 'MaryKay Carlson', 'Machado' after 'Maria Corina')."""
        res = self.res

        def namelike(tok: Token) -> bool:
            return (
                tok.pos_ == "PROPN"
                and tok.text[:1].isupper()
                and not tok.ent_type_
                and tok.lower_ not in res.role_heads
                and tok.lower_ not in res.honorifics
                and res.country_of_text(tok.text) is None
                and tok.is_alpha
            )

        while start > 0 and namelike(doc[start - 1]) and not doc[start].is_sent_start:
            word = doc[start - 1]
            if (
                word.lower in self.common_nouns or _agent_noun(word)
            ) and word.lower_ not in res.petrarch.first_names:
                # "Economist Mara Quint says" (capitalised only because it opens the
                # sentence), "Minister of Health Ana Reyes", "Buddhist Ana Reyes": a
                # capitalised common noun or follower's noun before the name describes it
                break
            start -= 1
        while end < len(doc) and namelike(doc[end]):
            end += 1
        return start, end

    def _merge_adjacent_persons(self, doc: Doc, cands: list[Candidate]) -> list[Candidate]:
        """'Prince Abdulaziz' + 'bin Salman' -> one PERSON span."""
        out: list[Candidate] = []
        for cand in cands:
            prev = out[-1] if out else None
            if prev is not None and prev.label == cand.label == "PERSON":
                gap = doc[prev.end : cand.start]
                if len(gap) == 0 or all(t.lower_ in self.res.name_particles for t in gap):
                    prev.end = cand.end
                    prev.text = doc[prev.start : prev.end].text
                    continue
            if (
                prev is not None
                and prev.label == "PERSON"
                and cand.start == prev.end + 1
                and doc[prev.end].lower_ in self.res.name_particles
                and cand.label in {"ORG", "GPE", "NORP"}
            ):
                prev.end = cand.end
                prev.text = doc[prev.start : prev.end].text
                continue
            out.append(cand)
        # particles followed by an untagged capitalised name ("Abdulaziz bin Salman")
        for cand in out:
            if cand.label != "PERSON":
                continue
            i = cand.end
            while (
                i + 1 < len(doc)
                and doc[i].lower_ in self.res.name_particles
                and doc[i + 1].text[:1].isupper()
                and not doc[i + 1].ent_type_
            ):
                i += 2
            if i != cand.end:
                cand.end = i
                cand.text = doc[cand.start : i].text
        return out
