"""The CAMEO.2.0 verb patterns of PETRARCH2 over the dependency parse: which pattern of a
verb's block its object, particle, prepositions and subject satisfy, and the code it gives.

The dictionary's verbs are found by the trigger matcher's ``PhraseMatcher`` on lemmas
(:func:`lemma_matcher`); their objects, particles and prepositions are read off the parse. The
patterns themselves are data (``config/data/nlp/petrarch/``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Token
from spacy.vocab import Vocab

from services.nlp.dictionaries import Dictionaries, VerbEntry, VerbPattern

#: Dependencies that put a noun phrase where CAMEO's patterns expect the object.
OBJECT_DEPS = frozenset({"dobj", "nsubjpass", "attr", "oprd", "dative"})
#: Dependents that carry a phrasal verb's particle ("set off", "crack down", "step up").
PARTICLE_DEPS = frozenset({"prt", "advmod", "compound:prt"})
PREP_DEPS = frozenset({"prep", "agent"})
#: Modifiers of a phrase head that may hold a pattern's other words ("humanitarian aid").
MODIFIER_DEPS = frozenset({"compound", "amod", "nmod", "nummod", "poss"})


@dataclass(slots=True)
class VerbContext:
    """What surrounds one verb in the parse."""

    objects: list[Token] = field(default_factory=list)
    subjects: list[Token] = field(default_factory=list)
    particles: set[str] = field(default_factory=set)
    preps: list[tuple[str, Token | None]] = field(default_factory=list)  # (preposition, its object)


@dataclass(frozen=True, slots=True)
class PatternMatch:
    code: str  # "" = the dictionary says this use is no event
    reverse: bool
    specificity: int
    entry: VerbEntry


def _plural(word: str) -> str:
    if word.endswith("ss"):
        return word + "es"
    if word.endswith("y") and len(word) > 1 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def word_matches(word: str, tok: Token) -> bool:
    lower, lemma = tok.lower_, tok.lemma_.lower()
    return word in {lower, lemma} or word == _plural(lemma)


class VerbPatterns:
    """PETRARCH's verb dictionary, matched against the dependents of a verb."""

    def __init__(self, dictionaries: Dictionaries, min_specificity: int = 0) -> None:
        """``min_specificity``: patterns less specific than this are never used."""
        self.dicts = dictionaries
        self.min_specificity = min_specificity
        self._indexes: dict[str, dict[tuple[str, str], list[VerbPattern]]] = {}

    def context(self, verb: Token) -> VerbContext:
        """What the parse attaches to a verb: objects, subjects, particles, prepositional
        phrases on the verb or on its object."""
        ctx = VerbContext()
        for child in verb.children:
            dep = child.dep_
            if dep in OBJECT_DEPS:
                ctx.objects.append(child)
            elif dep == "nsubj":
                ctx.subjects.append(child)
            elif dep in PARTICLE_DEPS:
                ctx.particles.add(child.lower_)
            elif dep in PREP_DEPS:
                ctx.preps.append((child.lower_, _prep_object(child)))
        for obj in ctx.objects:
            # "sent police to the border": a preposition on the object counts too
            ctx.preps.extend((c.lower_, _prep_object(c)) for c in obj.children if c.dep_ == "prep")
        return ctx

    def entries(self, verb: Token, ctx: VerbContext) -> list[VerbEntry]:
        """The dictionary entries of a verb whose other words are present ("call off")."""
        out = []
        doc = verb.doc
        for entry in self.dicts.verbs.get(verb.lemma_.lower(), ()):
            if entry.after and entry.after.split()[0] not in ctx.particles | {p for p, _ in ctx.preps}:
                continue
            if entry.before and (verb.i == 0 or doc[verb.i - 1].lower_ != entry.before.split()[-1]):
                continue
            out.append(entry)
        # a multi-word verb beats the bare verb ("call off" 160, not "call" 041)
        out.sort(key=lambda e: -(bool(e.after) + bool(e.before)))
        return out

    def _index(self, block: str) -> dict[tuple[str, str], list[VerbPattern]]:
        """A block's patterns by one word each requires (its object's head word, else its
        first preposition, particle or subject head), so a verb is checked only against the
        patterns its surroundings can satisfy (checking all cost ~5 ms per article)."""
        index = self._indexes.get(block)
        if index is None:
            index = {}
            for pattern in self.dicts.patterns.get(block, ()):
                if pattern.specificity < self.min_specificity:
                    continue
                if pattern.obj:
                    keys = [("word", p.split()[-1]) for p in self.dicts.words_of(pattern.obj[-1])]
                elif pattern.preps:
                    keys = [("prep", pattern.preps[0][0])]
                elif pattern.particle:
                    keys = [("particle", pattern.particle)]
                else:
                    keys = [("word", p.split()[-1]) for p in self.dicts.words_of(pattern.subject[-1])]
                for key in keys:
                    index.setdefault(key, []).append(pattern)
            self._indexes[block] = index
        return index

    def _candidates(self, block: str, ctx: VerbContext, entry: VerbEntry) -> list[VerbPattern]:
        index = self._index(block)
        keys: set[tuple[str, str]] = {("particle", p) for p in ctx.particles}
        if entry.after:
            keys.add(("particle", entry.after))
        keys.update(("prep", p) for p, _ in ctx.preps)
        for tok in (*ctx.objects, *ctx.subjects):
            lemma = tok.lemma_.lower()
            keys.update({("word", tok.lower_), ("word", lemma), ("word", _plural(lemma))})
        found = [p for key in keys for p in index.get(key, ())]
        return list(dict.fromkeys(found))

    def best(self, verb: Token, ctx: VerbContext) -> PatternMatch | None:
        """The most specific pattern the verb's surroundings satisfy, over its entries' blocks."""
        best: PatternMatch | None = None
        for entry in self.entries(verb, ctx):
            for pattern in self._candidates(entry.block, ctx, entry):
                if entry.after and pattern.particle and pattern.particle != entry.after:
                    continue
                if self._satisfied(pattern, ctx, entry):
                    score = pattern.specificity
                    if best is None or score > best.specificity:
                        best = PatternMatch(pattern.code, pattern.reverse, score, entry)
        return best

    def _satisfied(self, pattern: VerbPattern, ctx: VerbContext, entry: VerbEntry) -> bool:
        if pattern.particle and pattern.particle not in ctx.particles and pattern.particle != entry.after:
            return False
        if pattern.obj and not any(self._phrase(pattern.obj, obj) for obj in ctx.objects):
            return False
        if pattern.subject and not any(self._phrase(pattern.subject, s) for s in ctx.subjects):
            return False
        for prep, words in pattern.preps:
            if not any(
                p == prep and (not words or (pobj is not None and self._phrase(words, pobj)))
                for p, pobj in ctx.preps
            ):
                return False
        return True

    def _phrase(self, words: tuple[str, ...], head: Token) -> bool:
        """Does the phrase headed by ``head`` contain the pattern's words (head last; a
        ``&synset`` stands for any of its phrases)?"""
        *mods, last = words
        if not self._head_matches(last, head):
            return False
        around = [c for c in head.children if c.dep_ in MODIFIER_DEPS]
        return all(any(self._word_in(m, c) for c in around) for m in mods)

    def _head_matches(self, item: str, tok: Token) -> bool:
        for phrase in self.dicts.words_of(item):
            *mods, head = phrase.split()
            if word_matches(head, tok) and all(
                any(word_matches(m, c) for c in tok.children if c.dep_ in MODIFIER_DEPS) for m in mods
            ):
                return True
        return False

    def _word_in(self, item: str, tok: Token) -> bool:
        return any(word_matches(phrase.split()[-1], tok) for phrase in self.dicts.words_of(item))


def lemma_matcher(vocab: Vocab, labelled: dict[str, Iterable[str]]) -> PhraseMatcher:
    """A ``PhraseMatcher`` on lemmas for one-word entries, one label per word list (its Cython
    lookup is far cheaper per token than a ``Matcher`` pattern with a large ``IN`` set)."""
    matcher = PhraseMatcher(vocab, attr="LEMMA")
    for label, lemmas in labelled.items():
        words = sorted({w for w in lemmas if w and " " not in w})
        matcher.add(label, [Doc(vocab, words=[w], lemmas=[w]) for w in words])
    return matcher


def _prep_object(prep: Token) -> Token | None:
    return next((c for c in prep.children if c.dep_ in {"pobj", "pcomp"}), None)
