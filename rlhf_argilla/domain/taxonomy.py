"""The fitness taxonomy: subtopics with a description, safety sensitivity and keyword rules.

``keywords`` are lower-case words or phrases that mark a first human turn as being about the
subtopic (matched on word boundaries by the analysis stage); ``exclude`` are phrases that veto a
match for look-alikes (squatting in a building, a brain injury, a meal-prep business...).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["Subtopic", "SUBTOPICS", "SUBTOPIC_IDS", "subtopic", "Sensitivity"]

Sensitivity = Literal["low", "medium", "high"]


@dataclass(frozen=True)
class Subtopic:
    id: str
    title: str
    description: str
    safety_sensitivity: Sensitivity
    keywords: tuple[str, ...]
    exclude: tuple[str, ...] = ()


SUBTOPICS: tuple[Subtopic, ...] = (
    Subtopic(
        "strength_training", "Strength training",
        "Building maximal strength with compound lifts, progressive overload, sets, reps and technique.",
        "medium",
        ("strength training", "weightlifting", "weight lifting", "lift weights", "lifting weights", "deadlift",
         "bench press", "squat rack", "barbell", "dumbbell", "powerlifting", "one rep max", "1rm",
         "get stronger", "strength workout", "kettlebell", "pull-ups", "pull ups", "push-ups", "push ups"),
        ("squatting in", "squatter", "squatters"),
    ),
    Subtopic(
        "hypertrophy", "Hypertrophy and muscle building",
        "Gaining muscle size: training volume, rep ranges, proximity to failure, splits and bulking.",
        "low",
        ("build muscle", "building muscle", "gain muscle", "muscle mass", "bulk up", "bulking", "hypertrophy",
         "bodybuilding", "bigger arms", "biceps", "six pack", "abs workout", "tone my", "toning"),
    ),
    Subtopic(
        "cardio_endurance", "Cardio and endurance",
        "Aerobic fitness: heart-rate zones, intervals, cycling, swimming, rowing and VO2max.",
        "medium",
        ("cardio", "aerobic", "endurance", "hiit", "interval training", "vo2", "heart rate zone",
         "stationary bike", "rowing machine", "elliptical", "jump rope", "swimming laps", "cycling workout"),
    ),
    Subtopic(
        "running", "Running",
        "Running technique, couch-to-5k plans, race training from 5k to marathon, pacing and shoes.",
        "medium",
        ("running", "jogging", "marathon", "half marathon", "5k", "10k", "couch to 5k", "run faster",
         "run longer", "running shoes", "treadmill", "jog"),
        ("running a business", "running for office", "running out", "running low", "running water",
         "nose running", "running late", "running a program", "running the", "running away",
         "running my", "running an", "running mate", "running total"),
    ),
    Subtopic(
        "mobility_flexibility", "Mobility and flexibility",
        "Stretching, mobility drills, range of motion, yoga and warm-ups for training.",
        "low",
        ("stretching", "stretch", "flexibility", "flexible", "mobility", "range of motion", "yoga",
         "pilates", "foam roll", "warm up before", "warm-up", "touch my toes", "splits"),
        ("stretch of", "stretch limo", "stretch mark", "yoga pants", "banana splits", "stock splits"),
    ),
    Subtopic(
        "fat_loss", "Fat loss and body composition",
        "Losing body fat while keeping muscle: energy balance, exercise for weight loss, plateaus.",
        "high",
        ("lose weight", "losing weight", "weight loss", "lose fat", "burn fat", "fat loss", "belly fat",
         "calorie deficit", "slim down", "get in shape", "body fat", "shed pounds", "lose pounds"),
    ),
    Subtopic(
        "sports_nutrition", "Sports nutrition",
        "Eating for training: protein intake, carbohydrates around workouts, hydration, meal timing.",
        "medium",
        ("protein intake", "how much protein", "pre-workout meal", "post-workout meal", "post workout meal",
         "eat before a workout", "eat after a workout", "eat after working out", "eat before working out",
         "carb loading", "sports nutrition", "macros", "electrolytes", "hydration for"),
        ("meal prep business", "meal-prep business", "meal prep company"),
    ),
    Subtopic(
        "recovery_sleep", "Recovery and sleep",
        "Rest days, muscle soreness (DOMS), sleep for performance, deloads and overtraining.",
        "low",
        ("sore muscles", "muscle soreness", "doms", "rest day", "rest days", "recovery after",
         "overtraining", "recover from a workout", "recover after a workout", "deload", "ice bath",
         "sore after"),
    ),
    Subtopic(
        "injury_rehab", "Injury prevention and rehabilitation",
        "Training around or after injuries: knee, back, shoulder pain, sprains and returning to sport.",
        "high",
        ("injury while", "sports injury", "pulled a muscle", "pulled muscle", "sprained ankle", "tendonitis",
         "runner's knee", "shin splints", "knee pain when", "back pain when lifting", "rotator cuff",
         "hurt my back lifting", "injury prevention", "physical therapy exercises", "rehab exercises"),
        ("brain injury", "head injury", "personal injury", "injury lawyer", "injury attorney",
         "insurance"),
    ),
    Subtopic(
        "special_populations", "Special populations",
        "Exercise for older adults, pregnancy and postpartum, adolescents, and people with chronic conditions.",
        "high",
        ("exercise while pregnant", "exercising while pregnant", "workout while pregnant", "pregnancy workout",
         "postpartum exercise", "exercise for seniors", "exercise for elderly", "exercises for older",
         "senior fitness", "kids exercise", "teenager lifting", "exercise with arthritis",
         "exercise with diabetes", "exercise with asthma"),
    ),
    Subtopic(
        "beginner_fitness", "Getting started",
        "First steps for beginners: starting to exercise, building the habit, gym anxiety, basic routines.",
        "medium",
        ("start working out", "start exercising", "begin exercising", "beginner workout", "new to the gym",
         "first time at the gym", "get fit", "getting fit", "exercise routine", "workout routine",
         "start going to the gym", "how to exercise", "exercise more", "fitness routine"),
    ),
    Subtopic(
        "home_bodyweight", "Home and equipment-free training",
        "Training at home or while travelling with bodyweight exercises, bands and minimal equipment.",
        "low",
        ("home workout", "workout at home", "exercise at home", "exercises at home", "bodyweight",
         "body weight exercises", "no equipment", "without equipment", "resistance band", "calisthenics",
         "burpees", "sit-ups", "sit ups", "crunches", "lunges", "plank"),
    ),
    Subtopic(
        "program_design", "Program design",
        "Structuring training: weekly splits, frequency, progression, periodisation and tracking.",
        "low",
        ("workout plan", "workout program", "training plan", "training program", "workout split",
         "how many sets", "how many reps", "how often should i work out", "how often should i exercise",
         "times a week", "progressive overload", "periodization"),
        ("training program for employees", "training plan for my dog", "potty training", "dog training",
         "crate training"),
    ),
    Subtopic(
        "supplements", "Supplements",
        "Creatine, protein powder, caffeine, pre-workouts and what evidence says about supplements.",
        "high",
        ("creatine", "protein powder", "protein shake", "whey", "pre-workout", "pre workout supplement",
         "bcaa", "supplements for muscle", "fat burner", "workout supplement", "beta-alanine"),
    ),
    Subtopic(
        "training_mindset", "Motivation and the mental side of training",
        "Staying motivated, consistency, exercise and mood, body image and training anxiety.",
        "medium",
        ("motivation to exercise", "motivated to work out", "motivated to exercise", "stay motivated",
         "lazy to exercise", "hate exercising", "hate working out", "exercise and depression",
         "exercise for anxiety", "consistent with exercise", "stick to a workout", "gym anxiety"),
    ),
)

SUBTOPIC_IDS: tuple[str, ...] = tuple(item.id for item in SUBTOPICS)
_BY_ID = {item.id: item for item in SUBTOPICS}


def subtopic(subtopic_id: str) -> Subtopic:
    """Look a subtopic up by id (``KeyError`` names the valid ids)."""
    try:
        return _BY_ID[subtopic_id]
    except KeyError:
        raise KeyError(f"unknown subtopic {subtopic_id!r}; known: {', '.join(SUBTOPIC_IDS)}") from None
