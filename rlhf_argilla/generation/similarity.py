"""Pure text similarity: word shingles, Jaccard distance, MinHash-LSH near-duplicate removal."""

from __future__ import annotations

import re
from collections.abc import Sequence

from rlhf_argilla.schema import normalise_text

__all__ = ["shingles", "jaccard_distance", "NearDuplicateIndex", "dedupe", "DEDUP_THRESHOLD"]

#: Estimated Jaccard similarity of word 3-shingles above which two prompts count as near-duplicates.
DEDUP_THRESHOLD = 0.7
_NUM_PERM = 128
_WORD = re.compile(r"[a-z0-9']+")


def shingles(text: str, size: int = 3) -> set[str]:
    """Word ``size``-grams of the normalised text (the whole text if it is shorter).

    Example:
        >>> sorted(shingles("How many sets, reps?", size=2))
        ['how many', 'many sets', 'sets reps']
    """
    words = _WORD.findall(normalise_text(text))
    if len(words) <= size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


def jaccard_distance(a: str, b: str, size: int = 3) -> float:
    """1 - Jaccard similarity of the two texts' word shingles (0: same wording, 1: nothing shared).

    Example:
        >>> jaccard_distance("squat three times a week", "squat three times a week")
        0.0
    """
    left, right = shingles(a, size), shingles(b, size)
    if not left and not right:
        return 0.0
    return 1.0 - len(left & right) / len(left | right)


class NearDuplicateIndex:
    """Incremental near-duplicate check: datasketch MinHash LSH over word 3-shingles, with LSH
    candidates confirmed by the exact Jaccard similarity (so it scales to large N without
    false positives).

    Example:
        >>> index = NearDuplicateIndex()
        >>> index.add("How much protein do I need a day?"), index.add("how much protein do I need a day??")
        (True, False)
    """

    def __init__(self, threshold: float = DEDUP_THRESHOLD) -> None:
        from datasketch import MinHashLSH

        self.threshold = threshold
        self._lsh = MinHashLSH(threshold=threshold, num_perm=_NUM_PERM)
        self._sets: list[set[str]] = []

    def _signature(self, items: set[str]):
        from datasketch import MinHash

        signature = MinHash(num_perm=_NUM_PERM, seed=1)
        for item in sorted(items):
            signature.update(item.encode("utf-8"))
        return signature

    def find(self, text: str) -> int | None:
        """Position (in insertion order) of a stored text that ``text`` near-duplicates, or None."""
        items = shingles(text)
        for key in sorted(int(key) for key in self._lsh.query(self._signature(items))):
            other = self._sets[key]
            if len(other & items) / max(len(other | items), 1) >= self.threshold:
                return key
        return None

    def add(self, text: str) -> bool:
        """Store ``text`` unless it near-duplicates a stored one; True when it was stored."""
        if self.find(text) is not None:
            return False
        self._lsh.insert(str(len(self._sets)), self._signature(shingles(text)))
        self._sets.append(shingles(text))
        return True


def dedupe(texts: Sequence[str], threshold: float = DEDUP_THRESHOLD) -> list[int]:
    """Indices of the texts to keep: the first of each near-duplicate group, in input order.

    Args:
        texts: texts in priority order (earlier ones win).
        threshold: Jaccard similarity of word 3-shingles at or above which texts are duplicates.

    Returns:
        Kept indices, ascending.

    Example:
        >>> dedupe(["Is creatine safe?", "is creatine safe ?", "How do I start running?"])
        [0, 2]
    """
    index = NearDuplicateIndex(threshold)
    return [position for position, text in enumerate(texts) if index.add(text)]
