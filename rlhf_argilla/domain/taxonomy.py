"""The fitness taxonomy: subtopics with a description, safety sensitivity and keyword rules.

``keywords`` are lower-case words or phrases that mark a first human turn as being about the
subtopic (matched on word boundaries by the analysis stage; a space also matches a hyphen, a
plural ``s`` is optional and ``#`` stands for a number); ``exclude`` are phrases that, anywhere in
the turn, veto the subtopic for look-alikes (squatting in a building, a brain injury, a meal-prep
business...). Prefer phrases to single words: fitness is rare in HH-RLHF, so precision matters.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from rlhf_argilla.domain._table import id_lookup

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
        ("strength training", "strength train", "weight training", "weightlifting", "weight lifting",
         "lift weights", "lifting weights", "deadlift", "bench press", "squat rack", "barbell", "dumbbell",
         "powerlifting", "one rep max", "1rm", "get stronger", "strength workout", "kettlebell", "pull-ups",
         "pullups", "do a pull up", "chin-ups", "push-ups", "pushups", "core strength", "strengthen my core",
         "strengthen your core", "core exercises", "strength exercises", "strengthening exercises",
         "arm exercises", "leg exercises", "chest exercises", "back exercises", "shoulder exercises",
         "squats", "weight room"),
        ("squatting in", "squatter", "squatters", "wifi", "signal"),
    ),
    Subtopic(
        "hypertrophy", "Hypertrophy and muscle building",
        "Gaining muscle size: training volume, rep ranges, proximity to failure, splits and bulking.",
        "low",
        ("build muscle", "building muscle", "gain muscle", "gain more muscle", "gain muscles", "muscle mass",
         "muscle growth", "bigger muscles", "grow muscle", "put on muscle", "bulk up", "bulking", "hypertrophy",
         "bodybuilding", "bigger arms", "bicep curls", "six pack", "abs workout", "tone my", "toning",
         "tone up", "latissimus", "glutes", "calf muscles"),
        ("toning shampoo", "toning hair", "tone my voice", "tone my hair", "skin", "toner", "tone of voice"),
    ),
    Subtopic(
        "cardio_endurance", "Cardio and endurance",
        "Aerobic fitness: heart-rate zones, intervals, cycling, swimming, rowing and VO2max.",
        "medium",
        ("cardio", "aerobic exercise", "aerobics", "endurance training", "build endurance", "build stamina",
         "improve my stamina", "hiit", "interval training", "vo2", "heart rate zone", "stationary bike",
         "exercise bike", "rowing machine", "elliptical", "jump rope", "swimming laps", "swim laps",
         "cycling workout", "new to cycling", "cycling shorts", "steps a day", "steps per day",
         "walk per day", "walk a day", "walking for exercise", "brisk walk", "fitness tracker"),
    ),
    Subtopic(
        "running", "Running",
        "Running technique, couch-to-5k plans, race training from 5k to marathon, pacing and shoes.",
        "medium",
        ("jogging", "go for a run", "go running", "start running", "running form", "running pace",
         "running shoes", "running shorts", "running plan", "running routine", "running injury",
         "running every", "long distance running", "trail running", "half marathon", "train for a marathon",
         "run a marathon", "running a marathon", "marathon training", "couch to 5k", "train for a 5k",
         "a 5k run", "run a 5k", "5k race", "run a 10k", "10k race", "run a mile", "run faster",
         "run longer", "treadmill", "jog"),
        ("jog my memory", "jogging my memory", "jog your memory"),
    ),
    Subtopic(
        "mobility_flexibility", "Mobility and flexibility",
        "Stretching, mobility drills, range of motion, yoga and warm-ups for training.",
        "low",
        ("stretching", "stretches", "stretch before", "stretch after", "flexibility", "more flexible",
         "be flexible", "very flexible", "mobility exercises", "mobility work", "range of motion", "yoga",
         "pilates", "foam roll", "foam roller", "warm up before", "warm up prior", "warm-up exercises",
         "touch my toes", "do the splits"),
        ("stretch of", "stretch limo", "stretch mark", "yoga pants", "stretches of", "stretching the truth",
         "stretching fabric", "stretch my budget", "stretch the budget", "stretch shoes", "stretching shoes",
         "stretch my shoes", "stretch leather", "stretch a canvas", "stretching a canvas", "ear stretching",
         "stretching my ears"),
    ),
    Subtopic(
        "fat_loss", "Fat loss and body composition",
        "Losing body fat while keeping muscle: energy balance, exercise for weight loss, plateaus.",
        "high",
        ("lose weight", "losing weight", "lose my weight", "lose some weight", "lose the weight",
         "lose a little weight", "weight loss", "lose fat", "burn fat", "fat loss", "belly fat",
         "calorie deficit", "slim down", "get in shape", "get into shape", "body fat", "shed pounds",
         "lose pounds", "lose a few pounds", "lose # pounds", "lose # lbs", "lose # kg", "water weight",
         "weight gain", "gain weight", "on a diet", "keto diet", "lose inches"),
        ("dog", "dogs", "cat", "cats", "puppy", "kitten", "pet", "pets"),
    ),
    Subtopic(
        "sports_nutrition", "Sports nutrition",
        "Eating for training: protein intake, carbohydrates around workouts, hydration, meal timing.",
        "medium",
        ("protein intake", "how much protein", "pre-workout meal", "post-workout meal", "post workout meal",
         "eat before a workout", "eat after a workout", "eat after working out", "eat before working out",
         "eat before exercising", "eat after exercising", "carb loading", "sports nutrition", "sports drink",
         "hydration for", "protein for muscle"),
        ("meal prep business", "meal-prep business", "meal prep company"),
    ),
    Subtopic(
        "recovery_sleep", "Recovery and sleep",
        "Rest days, muscle soreness (DOMS), sleep for performance, deloads and overtraining.",
        "low",
        ("sore muscles", "muscle soreness", "muscles are sore", "rest day", "rest days", "recovery after a",
         "overtraining", "recover from a workout", "recover after a workout", "recover from exercise",
         "deload", "ice bath", "sore after working out", "sore after a workout", "sore after exercise",
         "sore after exercising", "sore after running", "sore after the gym", "sore from working out",
         "sore from exercise"),
    ),
    Subtopic(
        "injury_rehab", "Injury prevention and rehabilitation",
        "Training around or after injuries: knee, back, shoulder pain, sprains and returning to sport.",
        "high",
        ("injury while running", "injury while lifting", "injury while exercising", "sports injury", "pulled a muscle", "pulled muscle", "sprained ankle", "tendonitis",
         "runner's knee", "shin splints", "knee pain when", "back pain when lifting", "rotator cuff",
         "hurt my back lifting", "injury prevention", "physical therapy exercises", "rehab exercises",
         "sore shoulder", "exercises to relieve", "exercises for back pain", "exercises for knee pain",
         "tennis elbow", "hurt while exercising", "injured while running", "injured while lifting",
         "injured while exercising", "injured while working out"),
        ("brain injury", "head injury", "personal injury", "injury lawyer", "injury attorney",
         "insurance", "fake", "sue"),
    ),
    Subtopic(
        "special_populations", "Special populations",
        "Exercise for older adults, pregnancy and postpartum, adolescents, and people with chronic conditions.",
        "high",
        ("exercise while pregnant", "exercising while pregnant", "workout while pregnant", "pregnancy workout",
         "postpartum exercise", "exercise for seniors", "exercise for elderly", "exercises for older",
         "senior fitness", "kids exercise", "teenager lifting", "exercise with arthritis",
         "exercise with diabetes", "exercise with asthma", "menopause weight",
         "exercise after pregnancy"),
    ),
    Subtopic(
        "beginner_fitness", "Getting started",
        "First steps for beginners: starting to exercise, building the habit, gym anxiety, basic routines.",
        "medium",
        ("start working out", "start exercising", "begin exercising", "beginner workout", "new to the gym",
         "first time at the gym", "get fit", "getting fit", "exercise routine", "workout routine",
         "start going to the gym", "how to exercise", "exercise more", "fitness routine", "fitness app",
         "exercises for beginners", "best exercises", "regular exercise", "increase exercise",
         "choosing a gym", "join a gym", "gym membership", "exercise program", "exercise regimen",
         "exercises i can do", "exercises i could do", "good exercise", "better exercise", "workout",
         "physical activity", "physically active", "out of shape", "in shape", "fitness goals"),
        ("playlist", "songs", "gym locker", "workout clothes", "in the shape", "in shape of", "exercise in patience",
         "exercise in futility", "good exercise for my dog", "exercise my dog"),
    ),
    Subtopic(
        "home_bodyweight", "Home and equipment-free training",
        "Training at home or while travelling with bodyweight exercises, bands and minimal equipment.",
        "low",
        ("home workout", "workout at home", "exercise at home", "exercises at home", "exercises from home",
         "bodyweight", "body weight exercises", "no equipment", "without equipment",
         "resistance band", "calisthenics", "burpees", "sit-ups", "situps", "crunches", "lunges", "plank",
         "jumping jacks", "home gym"),
        ("plank of wood", "wooden plank", "walk the plank", "plank flooring"),
    ),
    Subtopic(
        "program_design", "Program design",
        "Structuring training: weekly splits, frequency, progression, periodisation and tracking.",
        "low",
        ("workout plan", "workout program", "training plan", "training program", "workout split",
         "how many sets", "how many reps", "how often should i work out", "how often should i exercise",
         "days a week should i", "progressive overload", "periodization", "exercise programs",
         "workout schedule"),
        ("training program for employees", "training plan for my dog", "potty training", "dog training",
         "crate training", "puppy", "dog", "employees", "staff"),
    ),
    Subtopic(
        "supplements", "Supplements",
        "Creatine, protein powder, caffeine, pre-workouts and what evidence says about supplements.",
        "high",
        ("creatine", "protein powder", "protein shake", "whey protein", "pre-workout", "pre workout supplement",
         "bcaa", "supplements for muscle", "fat burner", "workout supplement", "beta-alanine",
         "muscle building supplement"),
    ),
    Subtopic(
        "training_mindset", "Motivation and the mental side of training",
        "Staying motivated, consistency, exercise and mood, body image and training anxiety.",
        "medium",
        ("motivation to exercise", "motivated to work out", "motivated to exercise", "stay motivated to",
         "lazy to exercise", "hate exercising", "hate working out", "exercise and depression",
         "exercise for anxiety", "consistent with exercise", "stick to a workout", "gym anxiety",
         "motivation to work out", "motivation to go to the gym"),
    ),
)

SUBTOPIC_IDS: tuple[str, ...] = tuple(item.id for item in SUBTOPICS)
#: Look a subtopic up by id (``KeyError`` names the valid ids).
subtopic = id_lookup("subtopic", SUBTOPICS)
