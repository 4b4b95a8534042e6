"""The dataset card (README.md): a Hub YAML header and a body with the figures of this build.

:func:`collect_facts` gathers every figure from the built configs and the pull outputs (pure);
:func:`render_card` turns them into markdown (pure). Nothing here is estimated or hard-coded:
what is unknown (e.g. no agreement.json) is shown as unknown.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rlhf_argilla.domain.criteria import CRITERIA
from rlhf_argilla.domain.taxonomy import SUBTOPIC_IDS, subtopic
from rlhf_argilla.report.markdown import Align, format_share, markdown_table
from rlhf_argilla.schema import SUBTOPICS_CHART_FILE, AgreementSummary

__all__ = ["CardFacts", "collect_facts", "render_card", "size_category", "is_embedded_model"]

_CONFIG_NOTES = {
    "default": "TRL preference, standard: `prompt`, `chosen`, `rejected` strings (DPO, reward modelling)",
    "conversational": "TRL preference, conversational: message lists in `prompt`, `chosen`, `rejected`",
    "hh": "HH-RLHF transcripts: `chosen` / `rejected` = `\\n\\nHuman: ...\\n\\nAssistant: ...`",
    "kto": "TRL unpaired preference (KTO): `prompt`, `completion`, `label` (two rows per pair)",
    "ties": "pairs the annotators judged equal: `prompt`, `response_1`, `response_2` (not a preference)",
}


@dataclass(frozen=True)
class CardFacts:
    """Every figure the card shows."""

    counts: dict[str, dict[str, int]]  # config -> split -> rows
    n_pairs: int  # aggregated pairs, ties included
    n_ties: int
    ties_policy: str
    ratios: tuple[float, float, float]
    seed: int
    subtopics: dict[str, dict[str, int]]  # subtopic title -> split -> pairs (default config), largest first
    strategies: dict[str, int]  # responses per generation strategy
    models: dict[str, int]  # responses per model
    agreement: AgreementSummary | None = None  # agreement.json as written by `pull`
    annotators: int | None = None
    simulated_annotators: int | None = None
    warnings: tuple[str, ...] = ()
    decided_by: dict[str, int] | None = None  # "consensus" / "review" -> pairs
    judge: dict[str, Any] | None = None  # judge_report.json as written by `pull --pairs` / `judge-report`
    kinds: dict[str, dict[str, Any]] | None = None  # per pair kind (dataset.kind_card.kind_facts)
    controls: dict[str, Any] | None = None  # dataset.control_card.control_facts: never in a split


def is_embedded_model(name: str) -> bool:
    """True for the keyless demo model (its name carries "embedded")."""
    return "embedded" in name.lower()


def size_category(n: int) -> str:
    """The Hub's size category for ``n`` examples.

    Example:
        >>> size_category(120), size_category(1000), size_category(25_000)
        ('n<1K', '1K<n<10K', '10K<n<100K')
    """
    for limit, label in (
        (1_000, "n<1K"),
        (10_000, "1K<n<10K"),
        (100_000, "10K<n<100K"),
        (1_000_000, "100K<n<1M"),
    ):
        if n < limit:
            return label
    return "n>1M"


def collect_facts(
    rows: Sequence[Mapping[str, Any]],
    configs: Mapping[str, Mapping[str, Sequence[Mapping[str, Any]]]],
    *,
    ties_policy: str,
    ratios: tuple[float, float, float],
    seed: int,
    agreement: AgreementSummary | None = None,
    annotators: Mapping[str, bool] | None = None,
    warnings: Sequence[str] = (),
) -> CardFacts:
    """Figures for the card from the aggregated rows and the built configs.

    Args:
        rows: aggregated pairs (``schema.aggregated_columns()``), ties included.
        configs: config -> split -> built rows.
        ties_policy: ``"exclude"`` or ``"keep"``.
        ratios: split shares; seed: the split seed.
        agreement: agreement.json from `pull`, if present.
        annotators: annotator -> simulated flag (from annotations.parquet), if present.
        warnings: build warnings to show under limitations.

    Returns:
        :class:`CardFacts`.
    """
    subtopics: dict[str, Counter] = {}
    for split, items in configs["default"].items():
        for item in items:
            subtopics.setdefault(str(item["subtopic"]), Counter())[split] += 1
    responses = [(row.get(f"strategy_{side}"), row.get(f"model_{side}")) for row in rows for side in (1, 2)]
    return CardFacts(
        counts={
            name: {split: len(items) for split, items in splits.items()} for name, splits in configs.items()
        },
        n_pairs=len(rows),
        n_ties=sum(str(row["preferred"]) == "tie" for row in rows),
        ties_policy=ties_policy,
        ratios=(*ratios,),
        seed=seed,
        subtopics={
            _title(name): dict(counter)
            for name, counter in sorted(subtopics.items(), key=lambda item: (-sum(item[1].values()), item[0]))
        },
        strategies=dict(Counter(str(s) for s, _ in responses if s).most_common()),
        models=dict(Counter(str(m) for _, m in responses if m).most_common()),
        agreement=agreement,
        annotators=len(annotators) if annotators is not None else None,
        simulated_annotators=sum(annotators.values()) if annotators is not None else None,
        warnings=tuple(warnings),
        decided_by=dict(Counter(str(row.get("decided_by") or "consensus") for row in rows)),
    )


def _title(subtopic_id: str) -> str:
    return subtopic(subtopic_id).title if subtopic_id in SUBTOPIC_IDS else subtopic_id


def _yaml_header(facts: CardFacts, pretty_name: str) -> str:
    lines = [
        "---",
        "license: mit",
        "language:",
        "- en",
        "task_categories:",
        "- text-generation",
        "- reinforcement-learning",
        "size_categories:",
        f"- {size_category(facts.n_pairs)}",
        f"pretty_name: {pretty_name}",
        "tags:",
    ]
    lines += [
        f"- {tag}" for tag in ("rlhf", "dpo", "kto", "preference", "fitness", "argilla", "synthetic", "trl")
    ]
    lines.append("configs:")
    for config, splits in facts.counts.items():
        lines.append(f"- config_name: {config}")
        lines.append("  data_files:")
        for split in splits:
            lines += [f"  - split: {split}", f"    path: {config}/{split}.parquet"]
        if config == "default":
            lines.append("  default: true")
    return "\n".join(lines + ["---", ""])


def _fmt(value: Any, digits: int = 3) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _agreement_section(facts: CardFacts) -> list[str]:
    agreement = facts.agreement
    if not agreement:
        return ["No agreement.json was found next to the pulled table, so agreement figures are unknown."]
    alpha = agreement.alpha
    rows = [[name, _fmt(alpha.get(name))] for name in ("overall", *(c.id for c in CRITERIA)) if name in alpha]
    counts = agreement.counts
    parts = [
        f"{agreement.records} records were shown to {agreement.annotators} annotators; "
        f"{facts.n_pairs} pairs had at least one submitted ranking and form this dataset.",
        f"Responses by status: {', '.join(f'{k} {v}' for k, v in counts.items()) or 'unknown'}. "
        f"Annotator-level tie rate (share of submitted rankings that are ties): "
        f"{format_share(agreement.tie_rate)}.",
        "Krippendorff's α (`overall` ranking nominal, criteria ordinal on the 1–5 scale):",
        markdown_table(["question", "α"], rows) if rows else "α could not be computed (too few overlaps).",
    ]
    if facts.decided_by:
        parts.append(
            f"Decided by (`decided_by`): consensus {facts.decided_by.get('consensus', 0)}, "
            f"review {facts.decided_by.get('review', 0)}: pairs the first round could not settle went to a "
            "review dataset (`rlhf-argilla review`), and the reviewer's ranking and ratings replace "
            "the first-round aggregate."
        )
    return parts


def _counter_table(title: str, counts: Mapping[str, int]) -> str:
    rows = [[name, n] for name, n in counts.items()]
    return markdown_table([title, "responses"], rows) if counts else "unknown\n"


def render_card(facts: CardFacts, *, pretty_name: str = "Fitness RLHF preferences") -> str:
    """The README.md of a built dataset: YAML header + body with the real figures.

    Args:
        facts: from :func:`collect_facts`.
        pretty_name: title shown on the Hub.

    Returns:
        Markdown text.
    """
    from rlhf_argilla.annotation.settings import guidelines_markdown
    from rlhf_argilla.dataset.judge_card import judge_section
    from rlhf_argilla.dataset.kind_card import kind_section
    from rlhf_argilla.dataset.quality_card import quality_section

    splits = [name for name in ("train", "validation", "test") if name in facts.counts["default"]]
    right: list[Align] = ["right"] * len(splits)
    count_rows = [
        [config, *(counts.get(split, 0) for split in splits), _CONFIG_NOTES.get(config, "")]
        for config, counts in facts.counts.items()
    ]
    topic_rows = [
        [name, *(per.get(s, 0) for s in splits), sum(per.values())] for name, per in facts.subtopics.items()
    ]
    ratios = "/".join(f"{share * 100:g}" for share in facts.ratios)
    tie_share = facts.n_ties / facts.n_pairs if facts.n_pairs else None
    ties_text = (
        "excluded from every preference config (default)"
        if facts.ties_policy == "exclude"
        else "kept in the separate `ties` config; the preference configs never contain them"
    )
    if not facts.n_ties:
        ties_text = "there is nothing to exclude"
    body = [
        f"# {pretty_name}",
        "Pairwise preferences over answers to fitness questions, built with "
        "rlhf-argilla: prompts and response pairs generated with distilabel, "
        "judged by annotators in Argilla (a ranking plus a 1–5 rating per criterion and answer).",
        "## Configs and splits",
        markdown_table(["config", *splits, "format"], count_rows, align=["left", *right, "left"]),
        f"{facts.n_pairs} annotated pairs, of which {facts.n_ties} aggregated ties ({format_share(tie_share)}): "
        f"{ties_text}. Splits {ratios} (train/validation/test), grouped by prompt (no prompt appears in two "
        f"splits, in any config), stratified by subtopic, seed {facts.seed}.",
        "```python\nfrom datasets import load_dataset\n\n"
        'ds = load_dataset("OWNER/NAME")            # default config: prompt / chosen / rejected\n'
        'kto = load_dataset("OWNER/NAME", "kto")     # prompt / completion / label\n```',
        "Every config keeps `pair_id`, `subtopic`, `persona`, `difficulty`, the per-criterion scores "
        "(mean over annotators), `score_*` (mean of the criteria), `margin` (chosen minus rejected mean "
        "score; negative when the ranking disagrees with the scores), `n_annotators` and `agreement` "
        "(share of annotators who chose the aggregated preference).",
        "## Subtopics",
        f"![pairs per subtopic]({SUBTOPICS_CHART_FILE})",
        markdown_table(["subtopic", *splits, "total"], topic_rows),
        "## Annotation and agreement",
        *_agreement_section(facts),
        *kind_section(facts.kinds),
        *quality_section(facts.agreement, facts.controls),
        *judge_section(facts.judge),
        "## Generation",
        "Responses per strategy:",
        _counter_table("strategy", facts.strategies),
        "Responses per model:",
        _counter_table("model", facts.models),
        "## Annotation protocol and guidelines",
        "Each record shows the question and the two answers as A and B in random order (undone before "
        "aggregation). Annotators rank the answers (`overall`, ties allowed) and rate each answer on each "
        "criterion; the preference of a pair is the majority of submitted rankings. The guidelines as "
        "annotators saw them:",
        _demote(guidelines_markdown()),
        "## Limitations",
        *_limitations(facts),
        "## License",
        "MIT. Generated text may contain mistakes: it is not medical or training advice.",
    ]
    return _yaml_header(facts, pretty_name) + "\n" + "\n\n".join(part.rstrip("\n") for part in body) + "\n"


def _demote(markdown: str) -> str:
    """Shift headings two levels down so the guidelines sit under a card section."""
    return "\n".join("##" + line if line.startswith("#") else line for line in markdown.splitlines())


def _limitations(facts: CardFacts) -> list[str]:
    items = []
    if facts.simulated_annotators:
        items.append(
            f"- **Simulated annotators**: {facts.simulated_annotators} of {facts.annotators} annotators "
            "were simulated (scripted noise around an AI judge), not people. Their preferences and "
            "agreement figures show the pipeline working, not human judgement."
        )
    elif facts.annotators is None:
        items.append("- Whether annotators were human or simulated is unknown (no annotations.parquet).")
    embedded = sorted(name for name in facts.models if is_embedded_model(name))
    if embedded:
        items.append(
            f"- **Demo model**: responses from {', '.join(embedded)}, a tiny model run locally "
            "without an API key; their quality is far below a production model."
        )
    items.append(
        f"- Small domain dataset ({facts.n_pairs} pairs), English only, single-turn questions; "
        "subtopics are unevenly represented (see the table above)."
    )
    items += [f"- Build warning: {warning}" for warning in facts.warnings]
    return ["\n".join(items)]
