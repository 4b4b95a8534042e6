"""Rule classifier: first human turn -> fitness subtopic id or ``None``.

The rules are data in :mod:`rlhf_argilla.domain.taxonomy` (``keywords`` / ``exclude`` of each
subtopic); this module only compiles and applies them:

* text is lower-cased, typographic apostrophes become ``'``;
* a keyword matches on word boundaries; a space or hyphen in it matches any run of spaces or
  hyphens ("push ups" finds "push-ups"); an optional plural ``s``/``es`` is allowed at the end;
  ``#`` stands for a number ("lose # lbs" finds "lose 15 lbs");
* an ``exclude`` phrase anywhere in the text vetoes that subtopic (look-alikes such as
  "squatting in a building" or "brain injury");
* overlapping matches keep the leftmost-longest one ("home workout" hides "workout");
* the subtopic with most distinct keywords wins; ties go to the longest matched text, then
  to taxonomy order.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rlhf_argilla.domain.taxonomy import SUBTOPICS, Subtopic

__all__ = ["RuleClassifier", "keyword_pattern", "normalise"]


def normalise(text: str) -> str:
    """Lower case with plain apostrophes: the form rules are matched against.

    Example:
        >>> normalise("I’m Running")
        "i'm running"
    """
    return text.lower().replace("\u2019", "'").replace("\u2018", "'")


def keyword_pattern(keyword: str) -> str:
    """Regular expression (without boundaries) for one keyword of the taxonomy.

    Example:
        >>> bool(re.fullmatch(keyword_pattern("push ups"), "push-ups"))
        True
        >>> bool(re.fullmatch(keyword_pattern("lose # lbs"), "lose 15 lbs"))
        True
    """
    words = [word for word in re.split(r"[\s\-]+", normalise(keyword).strip()) if word]
    escaped = [
        r"\d+(?:[.,]\d+)?" if word == "#" else re.escape(word).replace("\\#", r"\d+") for word in words
    ]
    return r"[\s\-]+".join(escaped)


_TOKEN = re.compile(r"[\w']+")


def _compile(phrase: str, plural: bool) -> re.Pattern[str]:
    suffix = "(?:e?s)?" if plural else ""
    return re.compile(rf"(?<![\w']){keyword_pattern(phrase)}{suffix}(?![\w])")


def _first_word(phrase: str) -> str:
    word = re.split(r"[\s\-]+", normalise(phrase).strip())[0]
    return "#" if word == "#" else word


def _token_keys(text: str) -> set[str]:
    """Words of the text, their singular forms, and "#" when a number occurs."""
    keys: set[str] = set()
    for token in _TOKEN.findall(text):
        keys.add(token)
        if token.endswith("s"):
            keys.add(token[:-1])
            if token.endswith("es"):
                keys.add(token[:-2])
        if token[0].isdigit():
            keys.add("#")
    return keys


class RuleClassifier:
    """Keyword rules indexed by their first word, so each turn only tries the few that can match.

    Example:
        >>> classifier = RuleClassifier()
        >>> classifier.classify("What are some good stretches before going to the gym?")
        'mobility_flexibility'
        >>> classifier.classify("How can I squat in a building without anyone noticing?") is None
        True
    """

    name = "keyword-rules"

    def __init__(self, subtopics: Sequence[Subtopic] = SUBTOPICS) -> None:
        self._order = {item.id: index for index, item in enumerate(subtopics)}
        self._index: dict[str, list[tuple[str, str, re.Pattern[str]]]] = {}
        for item in subtopics:
            for keyword in dict.fromkeys(item.keywords):
                rule = (item.id, keyword, _compile(keyword, plural=True))
                self._index.setdefault(_first_word(keyword), []).append(rule)
        self._vetoes = {
            item.id: [_compile(text, plural=False) for text in item.exclude]
            for item in subtopics
            if item.exclude
        }

    def _matches(self, clean: str) -> list[tuple[str, str, int]]:
        """Leftmost-longest non-overlapping keyword matches as (subtopic, keyword, length)."""
        found: list[tuple[int, int, str, str]] = []
        for key in _token_keys(clean) & self._index.keys():
            for subtopic_id, keyword, pattern in self._index[key]:
                found.extend((m.start(), -m.end(), subtopic_id, keyword) for m in pattern.finditer(clean))
        kept, reached = [], -1
        for start, negative_end, subtopic_id, keyword in sorted(found):
            if start >= reached:
                kept.append((subtopic_id, keyword, -negative_end - start))
                reached = -negative_end
        return kept

    def _vetoed(self, subtopic_id: str, clean: str) -> bool:
        return any(pattern.search(clean) for pattern in self._vetoes.get(subtopic_id, ()))

    def hits(self, text: str) -> dict[str, list[str]]:
        """Keywords found per subtopic after vetoes (what :meth:`classify` decides on).

        Example:
            >>> RuleClassifier().hits("I want to lose 15 lbs before my first half marathon")
            {'fat_loss': ['lose # lbs'], 'running': ['half marathon']}
        """
        clean = normalise(text)
        result: dict[str, list[str]] = {}
        for subtopic_id, keyword, _ in self._matches(clean):
            if not self._vetoed(subtopic_id, clean):
                result.setdefault(subtopic_id, [])
                if keyword not in result[subtopic_id]:
                    result[subtopic_id].append(keyword)
        return result

    def classify(self, text: str) -> str | None:
        """The subtopic id of a first human turn, or ``None`` when it is not about fitness."""
        clean = normalise(text)
        matches = self._matches(clean)
        if not matches:
            return None
        scores: dict[str, list] = {}
        for subtopic_id, keyword, length in matches:
            score = scores.setdefault(subtopic_id, [set(), 0, -self._order[subtopic_id]])
            score[0].add(keyword)
            score[1] += length
        ranked = sorted(scores, key=lambda key: (len(scores[key][0]), *scores[key][1:]), reverse=True)
        return next((key for key in ranked if not self._vetoed(key, clean)), None)
