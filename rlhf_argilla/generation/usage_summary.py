"""Pure cost/usage accounting of a generation run: per stage and model, calls, tokens and USD."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass

__all__ = ["CallRecord", "UsageLine", "summarise_calls"]


@dataclass(frozen=True)
class CallRecord:
    """One LLM call of a run: ``usage`` None when no call was made (budget reached or failed)."""

    stage: str
    model: str
    usage: dict | None


@dataclass
class UsageLine:
    stage: str
    model: str
    calls: int = 0
    new_calls: int = 0
    cached_calls: int = 0
    missing: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cache_creation_input_tokens: int = 0
    cache_read_input_tokens: int = 0
    cost_usd: float = 0.0

    def to_dict(self) -> dict:
        return asdict(self)


def summarise_calls(records: Iterable[CallRecord]) -> list[UsageLine]:
    """Add up calls per (stage, model). Cached calls count their tokens but cost nothing now.

    Args:
        records: one record per call the run needed.

    Returns:
        One line per stage and model, in first-seen order, plus a final "total" line.

    Example:
        >>> lines = summarise_calls([
        ...     CallRecord("answer", "m", {"input_tokens": 10, "output_tokens": 5, "cost_usd": 0.1}),
        ...     CallRecord("answer", "m", {"input_tokens": 10, "output_tokens": 5, "cost_usd": 0.1,
        ...                                "from_cache": True}),
        ...     CallRecord("answer", "m", None)])
        >>> total = lines[-1]
        >>> total.calls, total.new_calls, total.cached_calls, total.missing, round(total.cost_usd, 2)
        (3, 1, 1, 1, 0.1)
    """
    lines: dict[tuple[str, str], UsageLine] = {}
    total = UsageLine("total", "")
    for record in records:
        line = lines.setdefault((record.stage, record.model), UsageLine(record.stage, record.model))
        for target in (line, total):
            target.calls += 1
            if record.usage is None:
                target.missing += 1
                continue
            cached = bool(record.usage.get("from_cache"))
            target.cached_calls += cached
            target.new_calls += not cached
            for name in (
                "input_tokens",
                "output_tokens",
                "cache_creation_input_tokens",
                "cache_read_input_tokens",
            ):
                setattr(target, name, getattr(target, name) + int(record.usage.get(name) or 0))
            if not cached:
                target.cost_usd += float(record.usage.get("cost_usd") or 0.0)
    return [*lines.values(), total]
