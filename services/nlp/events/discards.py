"""Copy not to code (PETRARCH's discard list): sport, entertainment, disasters and other stories
whose verbs ("beat", "hit", "attack") are no political events. A story-level phrase silences the
whole article, a sentence-level one its sentence."""

from __future__ import annotations

import re

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

from services.nlp.coref import Resolver
from services.nlp.dictionaries import Dictionaries
from services.nlp.entities import EntityTable
from services.nlp.tokens import spacy_doc

#: Discards about dates ("1999", "weeks ago", "months later") are left out: PETRARCH skips
#: historical chronologies with them, but news reports real events with dates in them.
_TIME_PHRASE = re.compile(r"^(\d{4}|.* (ago|later)|\d.*)$")


def _plural(word: str) -> str:
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    return word + "s"


class DiscardMatcher:
    def __init__(self, dictionaries: Dictionaries) -> None:
        self.story = sorted(p for p in dictionaries.story_discards if not _TIME_PHRASE.match(p))
        self.sentence = sorted(p for p in dictionaries.sentence_discards if not _TIME_PHRASE.match(p))
        self._matchers: dict[int, PhraseMatcher] = {}

    def compile(self, vocab: Vocab) -> None:
        self._matcher(vocab)

    def _matcher(self, vocab: Vocab) -> PhraseMatcher:
        matcher = self._matchers.get(id(vocab))
        if matcher is None:
            matcher = PhraseMatcher(vocab, attr="LOWER")
            for label, phrases in (("STORY", self.story), ("SENTENCE", self.sentence)):
                variants = {
                    v for p in phrases for v in (p, " ".join([*p.split()[:-1], _plural(p.split()[-1])]))
                }
                matcher.add(label, [Doc(vocab, words=v.split()) for v in sorted(variants)])
            self._matchers[id(vocab)] = matcher
        return matcher

    def discarded(self, doc: Doc) -> tuple[bool, set[int]]:
        """(the whole story is discarded, token indices of the sentences that are)."""
        real = spacy_doc(doc)
        story = False
        tokens: set[int] = set()
        strings = real.vocab.strings
        for match_id, start, _end in self._matcher(real.vocab)(real):
            if strings[match_id] == "STORY":
                story = True
            else:
                sent = real[start].sent
                tokens.update(range(sent.start, sent.end))
        return story, tokens


#: Personal pronouns that carry a sports story from one sentence to the next.
_PERSON_PRONOUNS = frozenset({"he", "him", "she", "her", "they", "them"})


def sport_run(table: EntityTable, resolver: Resolver, discarded: set[int]) -> tuple[set[int], set[str]]:
    """Token indices of the sentences that continue a discarded one, and the people and
    organisations of the whole run.

    Wire services paste a sports item into a general bulletin without a paragraph mark; only a
    few of its sentences name the sport. A sentence that speaks of someone met in the discarded
    copy (by name or by pronoun) belongs to it, and the others it names join the run. The run
    ends at the first sentence naming only people or organisations outside it; sentences naming
    nobody (a bare quote) neither end it nor are silenced.
    """
    if not discarded:
        return set(), set()
    silenced: set[str] = set()
    extra: set[int] = set()
    in_run = False
    for sent in table.sentences():
        named = {
            e
            for i in range(sent.start, sent.end)
            if (e := table.token_entity[i]) is not None and e.startswith(("person:", "org:"))
        }
        if sent.start in discarded:
            in_run = True
            silenced |= named
            continue
        if not in_run:
            continue
        referred = named | {
            e for t in sent if t.pos_ == "PRON" and t.lower_ in _PERSON_PRONOUNS for e in resolver.resolve(t)
        }
        if not referred:
            continue
        if referred & silenced:
            extra.update(range(sent.start, sent.end))
            silenced |= referred
        else:
            in_run = False
    return extra, silenced
