"""Who asks (personas) and how hard the question is (difficulty levels)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Persona", "PERSONAS", "Difficulty", "DIFFICULTIES"]


@dataclass(frozen=True)
class Persona:
    id: str
    description: str


PERSONAS: tuple[Persona, ...] = (
    Persona("complete_beginner", "an adult who has never trained regularly and feels unsure where to start"),
    Persona("busy_parent", "a working parent with 30 minutes, three times a week, often at home"),
    Persona("older_adult", "a person over 65 who wants to stay strong, mobile and independent"),
    Persona("pregnant_person", "someone in the second trimester who was active before pregnancy"),
    Persona("teen_athlete", "a 16-year-old who plays school sports and wants to get stronger"),
    Persona("recreational_runner", "a runner doing 20-30 km a week who wants to race a half marathon"),
    Persona("gym_regular", "an intermediate lifter with two years of consistent gym training"),
    Persona("injured_exerciser", "an active person coming back from a knee or lower-back problem"),
    Persona("weight_loss_seeker", "someone with obesity who wants to lose weight safely"),
    Persona("chronic_condition", "an adult with type 2 diabetes or high blood pressure cleared to exercise"),
)


@dataclass(frozen=True)
class Difficulty:
    id: str
    description: str


DIFFICULTIES: tuple[Difficulty, ...] = (
    Difficulty("basic", "a simple, common question a newcomer would ask"),
    Difficulty("intermediate", "a question needing specifics: numbers, a plan, or a trade-off"),
    Difficulty("advanced", "a nuanced question with constraints, conflicting goals or health considerations"),
)
