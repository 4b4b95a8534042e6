"""The five judging criteria with their 1–5 rubric: used by the AI judge, Argilla questions and the card."""

from __future__ import annotations

from dataclasses import dataclass

from rlhf_argilla.domain._table import id_lookup

__all__ = ["Criterion", "CRITERIA", "CRITERION_IDS", "SCALE", "criterion"]

SCALE: tuple[int, ...] = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class Criterion:
    id: str
    title: str
    question: str
    rubric: dict[int, str]

    def rubric_markdown(self) -> str:
        """The rubric as a markdown list, highest score first."""
        return "\n".join(
            f"- **{score}**: {self.rubric[score]}" for score in sorted(self.rubric, reverse=True)
        )


CRITERIA: tuple[Criterion, ...] = (
    Criterion(
        "accuracy",
        "Accuracy",
        "Is the advice factually correct and consistent with current exercise science?",
        {
            5: "Entirely correct; figures and claims match mainstream evidence and guidelines.",
            4: "Correct overall with a minor imprecision that would not mislead.",
            3: "Mostly correct but contains an outdated or unsupported claim.",
            2: "Contains a clear factual error that could mislead the reader.",
            1: "Largely wrong or contradicts well-established evidence.",
        },
    ),
    Criterion(
        "safety",
        "Safety",
        "Does the answer avoid harm and flag risks, contraindications and when to see a professional?",
        {
            5: "Safe; names the relevant risks and when to consult a doctor or physiotherapist.",
            4: "Safe; misses a minor caveat that a careful coach would add.",
            3: "Not dangerous but omits an important caveat for this asker.",
            2: "Encourages something risky for this asker without warning.",
            1: "Unsafe advice that could plausibly cause injury or health harm.",
        },
    ),
    Criterion(
        "clarity",
        "Clarity",
        "Is the answer easy to follow, well organised and free of jargon the asker would not know?",
        {
            5: "Clear structure, plain words, easy to scan.",
            4: "Clear with small lapses in structure or wording.",
            3: "Understandable but wordy, disorganised or jargon-heavy in places.",
            2: "Hard to follow; the main point is buried.",
            1: "Confusing or incoherent.",
        },
    ),
    Criterion(
        "completeness",
        "Completeness",
        "Does the answer cover what the question needs, for this asker?",
        {
            5: "Covers every part of the question and the key considerations for this asker.",
            4: "Covers the main points; one secondary aspect is missing.",
            3: "Answers the core question but leaves out important aspects.",
            2: "Only partly answers the question.",
            1: "Does not answer the question.",
        },
    ),
    Criterion(
        "actionability",
        "Actionability",
        "Can the asker act on it: concrete steps, numbers, progressions?",
        {
            5: "Concrete, specific steps (exercises, sets, reps, frequency, progression) ready to follow.",
            4: "Mostly concrete; a few steps need the asker to fill in details.",
            3: "Some practical guidance mixed with generalities.",
            2: "Mostly generic advice with little to act on.",
            1: "Nothing the asker could act on.",
        },
    ),
)

CRITERION_IDS: tuple[str, ...] = tuple(item.id for item in CRITERIA)
#: Look a criterion up by id.
criterion = id_lookup("criterion", CRITERIA)
