"""The Argilla dataset settings for preference annotation, derived from ``rlhf_argilla.domain``.

What annotators see: the prompt and two responses shown as A and B (markdown), one ``overall``
ranking question over ``response_a`` / ``response_b`` (ties allowed: both at rank 1), a 1–5 rating
per criterion per response (``accuracy_a`` … ``actionability_b``, the rubric as description) and an
optional free-text ``rationale``. Metadata keep what is needed to undo the A/B shuffle (``a_is``)
and a content hash that makes re-pushes idempotent.

Every name below is the contract with ``pull`` / ``simulate``: import them, never retype them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rlhf_argilla.annotation.kind_metadata import KIND_METADATA_NAMES, kind_properties
from rlhf_argilla.domain.askers import DIFFICULTIES, PERSONAS
from rlhf_argilla.domain.criteria import CRITERIA, CRITERION_IDS, SCALE
from rlhf_argilla.domain.taxonomy import SUBTOPIC_IDS

if TYPE_CHECKING:
    import argilla as rg

__all__ = [
    "FIELD_PROMPT",
    "FIELD_A",
    "FIELD_B",
    "FIELDS",
    "SIDES",
    "OVERALL",
    "RATIONALE",
    "rating_question",
    "RATING_QUESTIONS",
    "QUESTION_NAMES",
    "META_SUBTOPIC",
    "META_PERSONA",
    "META_DIFFICULTY",
    "META_STRATEGIES",
    "META_MODELS",
    "META_STRATEGY",
    "META_MODEL",
    "META_A_IS",
    "META_CONTENT_HASH",
    "META_BLIND",
    "META_CONTROL",
    "META_CONTROL_EXPECTED",
    "META_CONTROL_SOURCE",
    "CONTROL_SOURCES",
    "CONTROL_METADATA",
    "METADATA_NAMES",
    "DEFAULT_ANNOTATORS_PER_RECORD",
    "VECTOR_PROMPT",
    "VECTOR_DIMENSIONS",
    "prompt_vector_field",
    "guidelines_markdown",
    "build_settings",
    "blind_property",
    "control_properties",
]

# ---- fields ----------------------------------------------------------------------------------------
FIELD_PROMPT = "prompt"
FIELD_A = "response_a"
FIELD_B = "response_b"
FIELDS: tuple[str, ...] = (FIELD_PROMPT, FIELD_A, FIELD_B)
#: the two display sides; side "a" shows response ``metadata[META_A_IS]`` (1 or 2)
SIDES: tuple[str, ...] = ("a", "b")

# ---- questions -------------------------------------------------------------------------------------
OVERALL = "overall"
RATIONALE = "rationale"


def rating_question(criterion_id: str, side: str) -> str:
    """Name of the rating question for one criterion and one display side.

    Example:
        >>> rating_question("safety", "b")
        'safety_b'
    """
    return f"{criterion_id}_{side}"


RATING_QUESTIONS: tuple[str, ...] = tuple(rating_question(c, side) for c in CRITERION_IDS for side in SIDES)
QUESTION_NAMES: tuple[str, ...] = (OVERALL, *RATING_QUESTIONS, RATIONALE)

# ---- metadata --------------------------------------------------------------------------------------
META_SUBTOPIC = "subtopic"
META_PERSONA = "persona"
META_DIFFICULTY = "difficulty"
META_STRATEGIES = "strategies"  # both strategies, for filtering in the UI
META_MODELS = "models"  # both generator models, for filtering in the UI
META_STRATEGY = "strategy_{}"  # strategy_1 / strategy_2: per original response (A/B undone)
META_MODEL = "model_{}"  # model_1 / model_2
META_A_IS = "a_is"  # 1 or 2: which original response is shown as A
META_CONTENT_HASH = "content_hash"  # hash of everything pushed for the record: unchanged -> skipped
META_BLIND = "blind"  # 1: pushed without judge suggestions (the calibration slice, see annotation.blind)
# control items (`push --controls`, annotation.controls): the right answer is known by construction
META_CONTROL = "control"  # 1 on a control record (absent on ordinary ones)
META_CONTROL_EXPECTED = "control_expected"  # the original response number (1 / 2) that is right
META_CONTROL_SOURCE = "control_source"  # how it was made: one of CONTROL_SOURCES
CONTROL_SOURCES: tuple[str, ...] = ("flaw-edit", "gold")
CONTROL_METADATA: tuple[str, ...] = (META_CONTROL, META_CONTROL_EXPECTED, META_CONTROL_SOURCE)
METADATA_NAMES: tuple[str, ...] = (
    META_SUBTOPIC,
    META_PERSONA,
    META_DIFFICULTY,
    META_STRATEGIES,
    META_MODELS,
    META_STRATEGY.format(1),
    META_STRATEGY.format(2),
    META_MODEL.format(1),
    META_MODEL.format(2),
    META_A_IS,
    META_CONTENT_HASH,
    META_BLIND,
    *KIND_METADATA_NAMES,  # pair_kind, predicted_margin (annotation.kind_metadata)
    *CONTROL_METADATA,
)

DEFAULT_ANNOTATORS_PER_RECORD = 2

# ---- vectors ---------------------------------------------------------------------------------------
VECTOR_PROMPT = "prompt_vector"  # the prompt's vector (annotation/vectors.py)
VECTOR_DIMENSIONS = 256  # fixed: a dataset's vector field cannot change size


def prompt_vector_field() -> rg.VectorField:
    """The vector field that the UI's "find similar" and the SDK's ``rg.Similar`` search."""
    import argilla as rg

    return rg.VectorField(name=VECTOR_PROMPT, title="Similar questions", dimensions=VECTOR_DIMENSIONS)


def guidelines_markdown() -> str:
    """Annotation guidelines in markdown, built from the criteria and their rubric."""
    parts = [
        "# Fitness advice: which answer is better?",
        "Each record shows a fitness question and two AI answers, **A** and **B**. The order is random: "
        "A is not the first or the better one by design.",
        "## Steps",
        "1. Read the question and note who is asking (beginner, older adult, injured, pregnant...).",
        "2. Rate **each answer on each criterion** from 1 (worst) to 5 (best), using the rubric below. "
        "Rate each answer on its own merits, not relative to the other.",
        "3. **Overall**: rank the answer you would rather give this person first. If they are truly "
        "equally good (or equally bad), give both rank 1: a tie is a valid answer, but use it sparingly.",
        "4. Optionally explain your choice in one or two sentences under *Rationale*.",
        "5. **Submit**. Use *Discard* only if the record cannot be judged (broken text, not about fitness).",
        "Safety outweighs style: an answer that could hurt this asker should lose even if it is "
        "better written.",
        "## Criteria",
    ]
    for item in CRITERIA:
        parts.append(f"### {item.title}\n{item.question}\n\n{item.rubric_markdown()}")
    return "\n\n".join(parts)


def build_settings(
    client: rg.Argilla, annotators_per_record: int = DEFAULT_ANNOTATORS_PER_RECORD
) -> rg.Settings:
    """The ``rg.Settings`` of a preference-annotation dataset.

    Args:
        client: the SDK client the settings objects are bound to (the SDK needs one).
        annotators_per_record: submitted responses needed to complete a record
            (``TaskDistribution(min_submitted=...)``).

    Returns:
        Settings with the fields, questions, metadata, guidelines and distribution described above.
    """
    import argilla as rg

    fields = [
        rg.TextField(name=FIELD_PROMPT, title="Question", use_markdown=True, client=client),
        rg.TextField(name=FIELD_A, title="Response A", use_markdown=True, client=client),
        rg.TextField(name=FIELD_B, title="Response B", use_markdown=True, client=client),
    ]
    questions: list[Any] = [
        rg.RankingQuestion(
            name=OVERALL,
            title="Overall: which answer is better for this person? (equal rank = tie)",
            values={FIELD_A: "Response A", FIELD_B: "Response B"},
            description="Rank the better answer first. Give both rank 1 only if they are equally good.",
            required=True,
            client=client,
        )
    ]
    for item in CRITERIA:
        for side in SIDES:
            questions.append(
                rg.RatingQuestion(
                    name=rating_question(item.id, side),
                    title=f"{item.title} of response {side.upper()}",
                    values=list(SCALE),
                    description=f"{item.question}\n\n{item.rubric_markdown()}",
                    required=True,
                    client=client,
                )
            )
    questions.append(
        rg.TextQuestion(
            name=RATIONALE,
            title="Rationale (optional)",
            description="One or two sentences: why this ranking?",
            required=False,
            use_markdown=False,
            client=client,
        )
    )
    hidden = {"visible_for_annotators": False, "client": client}
    metadata = [
        rg.TermsMetadataProperty(
            name=META_SUBTOPIC, title="Subtopic", options=list(SUBTOPIC_IDS), client=client
        ),
        rg.TermsMetadataProperty(
            name=META_PERSONA, title="Asker", options=[p.id for p in PERSONAS], client=client
        ),
        rg.TermsMetadataProperty(
            name=META_DIFFICULTY, title="Difficulty", options=[d.id for d in DIFFICULTIES], client=client
        ),
        rg.TermsMetadataProperty(name=META_STRATEGIES, title="Strategies", **hidden),
        rg.TermsMetadataProperty(name=META_MODELS, title="Models", **hidden),
        *(
            rg.TermsMetadataProperty(
                name=META_STRATEGY.format(n), title=f"Strategy of response {n}", **hidden
            )
            for n in (1, 2)
        ),
        *(
            rg.TermsMetadataProperty(name=META_MODEL.format(n), title=f"Model of response {n}", **hidden)
            for n in (1, 2)
        ),
        rg.IntegerMetadataProperty(name=META_A_IS, title="Response shown as A", min=1, max=2, **hidden),
        rg.TermsMetadataProperty(name=META_CONTENT_HASH, title="Content hash", **hidden),
        blind_property(client),
        *kind_properties(client),
        *control_properties(client),
    ]
    return rg.Settings(
        fields=fields,
        questions=questions,
        metadata=metadata,
        vectors=[prompt_vector_field()],  # "find similar" (annotation/vectors.py)
        guidelines=guidelines_markdown(),
        allow_extra_metadata=False,
        distribution=rg.TaskDistribution(min_submitted=annotators_per_record),
    )


def blind_property(client: rg.Argilla) -> rg.IntegerMetadataProperty:
    """The hidden 0 / 1 ``blind`` metadata (added to datasets created before it existed)."""
    import argilla as rg

    return rg.IntegerMetadataProperty(
        name=META_BLIND,
        title="Pushed without suggestions",
        min=0,
        max=1,
        visible_for_annotators=False,
        client=client,
    )


def control_properties(client: rg.Argilla) -> list[Any]:
    """The hidden control metadata (added to datasets created before controls existed)."""
    import argilla as rg

    hidden = {"visible_for_annotators": False, "client": client}
    return [
        rg.IntegerMetadataProperty(name=META_CONTROL, title="Control item", min=0, max=1, **hidden),
        rg.IntegerMetadataProperty(
            name=META_CONTROL_EXPECTED, title="Right response of a control", min=1, max=2, **hidden
        ),
        rg.TermsMetadataProperty(
            name=META_CONTROL_SOURCE, title="Control made by", options=list(CONTROL_SOURCES), **hidden
        ),
    ]
