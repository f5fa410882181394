"""The spaCy pipeline: a blank English tokenizer, a sentencizer, an EntityRuler for places,
nationalities and organisations, and a Matcher for the words that signal each claim.

No statistical model: every rule is here, so results are reproducible and nothing is
downloaded at run time.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import spacy
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc

from borderwatch.engines.news.places import CITIES, DEMONYMS, ORGANISATIONS, country_names

#: Trigger lexicons: label -> lower-case word forms (a blank pipeline has no lemmatiser).
TRIGGERS: dict[str, list[list[str]]] = {
    "DETAIN": [
        ["detained"],
        ["detain"],
        ["detains"],
        ["detaining"],
        ["arrested"],
        ["detention"],
        ["held"],
    ],
    "APPREHEND": [
        ["apprehended"],
        ["apprehend"],
        ["caught"],
        ["intercepted"],
        ["apprehensions"],
        ["picked", "up"],
    ],
    "PREVENT": [
        ["prevented"],
        ["prevent"],
        ["stop"],
        ["turned", "back"],
        ["turned", "away"],
        ["pushed", "back"],
        ["stopped"],
        ["denied", "entry"],
        ["refused", "entry"],
        ["blocked"],
        ["thwarted"],
    ],
    "CROSS": [
        ["crossed"],
        ["crossing"],
        ["crossings"],
        ["entered"],
        ["arrived"],
        ["cross"],
        ["attempted"],
        ["tried"],
    ],
    "RETURN": [
        ["returned"],
        ["repatriated"],
        ["deported"],
        ["repatriation"],
        ["deportation"],
        ["removed"],
        ["sent", "home"],
        ["flown", "back"],
    ],
    "READMIT": [
        ["readmit"],
        ["readmission"],
        ["readmitted"],
        ["returns"],
        ["return"],
        ["deportations"],
        ["repatriations"],
    ],
    "TOTAL": [["total"], ["tally"], ["altogether"], ["cumulative"], ["so", "far"], ["in", "all"]],
    "RECORD": [
        ["largest", "number"],
        ["highest", "number"],
        ["biggest", "number"],
        ["record"],
        ["most", "in", "a", "single", "day"],
        ["all", "-", "time", "high"],
    ],
    "DEPLOY": [
        ["deployed"],
        ["deploy"],
        ["deploying"],
        ["deployment"],
        ["sent"],
        ["send"],
        ["sending"],
        ["dispatched"],
        ["providing"],
        ["provided"],
        ["provide"],
        ["reinforce"],
        ["arrived"],
    ],
    "FUND": [
        ["provide"],
        ["allocate"],
        ["allocated"],
        ["awarded"],
        ["offered"],
        ["granted"],
        ["funding"],
        ["emergency", "assistance"],
        ["fund"],
        ["financing"],
        ["stands", "ready"],
    ],
    "FLIGHT": [["flights"], ["flight"], ["flies"], ["route"]],
    "SUSPEND": [
        ["suspended"],
        ["suspend"],
        ["suspends"],
        ["suspension"],
        ["halted"],
        ["halt"],
        ["paused"],
        ["pause"],
        ["cancelled"],
        ["canceled"],
        ["stopped"],
        ["banned"],
    ],
    "EMERGENCY": [
        ["state", "of", "emergency"],
        ["emergency", "situation"],
        ["state", "of", "extreme", "situation"],
    ],
    "FENCE": [["fence"], ["barrier"], ["border", "wall"], ["razor", "wire"]],
}

PERSON_NOUNS = frozenset(
    [
        "people",
        "persons",
        "migrants",
        "refugees",
        "asylum-seekers",
        "seekers",
        "foreigners",
        "individuals",
        "nationals",
        "crossers",
        "immigrants",
        "illegals",
        "men",
        "women",
        "children",
        "attempts",
        "citizens",
        "entries",
        "crossings",
    ]
)
UNIT_NOUNS = {
    "officers": "officers",
    "officer": "officers",
    "guards": "officers",
    "experts": "experts",
    "staff": "staff",
    "personnel": "staff",
    "soldiers": "soldiers",
    "troops": "soldiers",
    "vehicles": "vehicles",
    "cars": "patrol cars",
    "helicopters": "helicopters",
    "drones": "drones",
    "dogs": "dogs",
    "boats": "boats",
}


@dataclass(frozen=True, slots=True)
class Entity:
    label: str  # GPE, CITY, NORP, ORG
    start: int
    end: int
    text: str
    code: str  # ISO alpha-2 for places and nationalities, canonical name for organisations


@dataclass(frozen=True, slots=True)
class Trigger:
    label: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    text: str
    entities: list[Entity]
    triggers: list[Trigger]
    words: list[tuple[int, int, str]]  # (start, end, lower) per token, absolute offsets

    def has(self, label: str) -> bool:
        return any(t.label == label for t in self.triggers)

    def of(self, label: str) -> list[Trigger]:
        return [t for t in self.triggers if t.label == label]


@cache
def nlp() -> tuple[Language, Matcher]:
    """Build the pipeline once per process."""
    language = spacy.blank("en")
    language.add_pipe("sentencizer")
    ruler = language.add_pipe("entity_ruler", config={"phrase_matcher_attr": "ORTH"})
    patterns: list[dict[str, object]] = []
    for name, code in country_names().items():
        patterns.append({"label": "GPE", "pattern": name, "id": code})
    for name, code in CITIES.items():
        patterns.append({"label": "CITY", "pattern": name, "id": code})
    for name, code in DEMONYMS.items():
        patterns.append({"label": "NORP", "pattern": name, "id": code})
    for name, canonical in ORGANISATIONS.items():
        patterns.append({"label": "ORG", "pattern": name, "id": canonical})
    ruler.add_patterns(patterns)  # type: ignore[attr-defined]
    matcher = Matcher(language.vocab)
    for label, forms in TRIGGERS.items():
        matcher.add(label, [[{"LOWER": word} for word in form] for form in forms])
    return language, matcher


def analyse(text: str) -> list[Sentence]:
    """Split into sentences (a line break always ends one) with their entities and triggers."""
    language, matcher = nlp()
    sentences: list[Sentence] = []
    offset = 0
    for line in text.split("\n"):
        if line.strip():
            sentences.extend(_line(language, matcher, language(line), offset))
        offset += len(line) + 1
    return sentences


def _line(language: Language, matcher: Matcher, doc: Doc, offset: int) -> list[Sentence]:
    matches = matcher(doc)
    out = []
    for sent in doc.sents:
        ents = [
            Entity(e.label_, offset + e.start_char, offset + e.end_char, e.text, e.ent_id_)
            for e in doc.ents
            if e.start >= sent.start and e.end <= sent.end
        ]
        triggers = [
            Trigger(
                language.vocab.strings[mid],
                offset + doc[s].idx,
                offset + doc[e - 1].idx + len(doc[e - 1]),
            )
            for mid, s, e in matches
            if s >= sent.start and e <= sent.end
        ]
        words = [(offset + t.idx, offset + t.idx + len(t), t.lower_) for t in sent]
        out.append(
            Sentence(
                offset + sent.start_char, offset + sent.end_char, sent.text, ents, triggers, words
            )
        )
    return out
