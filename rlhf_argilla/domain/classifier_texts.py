"""Hand-written training texts for the fitness classifier's learned model (never scored).

Two tables, written for issue 14 from kinds of question, not copied from any labelled turn:

* :data:`FITNESS_TEXTS` — plain fitness questions of the kinds a keyword list misses: how to do
  an exercise properly, improving general or cardiovascular fitness, daily calorie intake,
  equipment for a small space, staying motivated, everyday activity as exercise, short and
  casual phrasings. Positives, with their subtopic (for the subtopic centroids).
* :data:`LOOKALIKE_TEXTS` — requests that share fitness words but are not fitness: summarising
  pasted text, business and design briefs, product reviews, career "training programs" and
  certification, pet and child training, general nutrition, medical
  questions, sport as trivia or fandom, recreation. Negatives.

They sit beside the taxonomy's seed questions (positives) and the background of ordinary first
turns (negatives); the evaluation's held-out turns never include them.
"""

from __future__ import annotations

__all__ = ["FITNESS_TEXTS", "LOOKALIKE_TEXTS"]

#: (text, subtopic id): positives for the learned model
FITNESS_TEXTS: tuple[tuple[str, str], ...] = (
    # how to do an exercise properly
    ("What is the proper form for a push-up?", "strength_training"),
    ("How do I do a lunge correctly without hurting my knees?", "strength_training"),
    ("Can you explain how to do a plank the right way?", "home_bodyweight"),
    ("Am I supposed to breathe in or out when I lift?", "strength_training"),
    # improving general or cardiovascular fitness
    ("How can I improve my overall fitness?", "beginner_fitness"),
    ("What is the best way to get in shape?", "beginner_fitness"),
    ("How do I improve my cardiovascular health with exercise?", "cardio_endurance"),
    ("What can I do to build up my stamina so I don't get out of breath on stairs?", "cardio_endurance"),
    # calories and body composition
    ("What daily calorie target should I aim for to drop a few pounds?", "fat_loss"),
    ("How many calories do I burn on a brisk walk?", "fat_loss"),
    ("How big a calorie deficit do I need to lose a pound a week?", "fat_loss"),
    ("How do I get rid of belly fat?", "fat_loss"),
    ("How can I tone my arms and legs?", "hypertrophy"),
    # equipment and small spaces
    ("What gym gear fits in a studio flat with little floor space?", "home_bodyweight"),
    ("Is a rowing machine or an exercise bike better for a tiny room?", "home_bodyweight"),
    ("Are resistance bands enough for a home workout?", "home_bodyweight"),
    # motivation
    ("I keep quitting my exercise plan after a week. How do I stick with it?", "training_mindset"),
    ("How do I find the motivation to work out in the morning?", "training_mindset"),
    ("I feel too lazy to exercise. Any tips to get going?", "training_mindset"),
    # everyday activity as exercise
    ("Is a daily walk with the dog real exercise?", "beginner_fitness"),
    ("How many steps a day should I walk to stay healthy?", "beginner_fitness"),
    ("Is taking the stairs every day enough exercise?", "beginner_fitness"),
    ("Does gardening or housework count as a workout?", "beginner_fitness"),
    ("How can I be more physically active with a desk job?", "beginner_fitness"),
    # other plain phrasings
    ("What exercises are good for my back?", "injury_rehab"),
    ("How often should I work out each week?", "program_design"),
    ("What are some good exercises for seniors?", "special_populations"),
    ("Should I eat before or after I exercise?", "sports_nutrition"),
    ("How long should I rest between workouts?", "recovery_sleep"),
    ("What are the benefits of swimming for exercise?", "cardio_endurance"),
)

#: negatives for the learned model: fitness words, other intent
LOOKALIKE_TEXTS: tuple[str, ...] = (
    # summarise / rewrite pasted text
    "Summarize this article for me: The city council voted to open a new gym and running track next spring.",
    "Can you give me a summary of this paragraph about a soccer player's training camp and his contract?",
    "Please proofread this email to my team about the office step challenge.",
    "Rewrite this text in simpler words: the marathon closed several roads downtown on Sunday.",
    # business and design briefs
    "Write a marketing plan for my new fitness studio's grand opening.",
    "Design a logo for a protein bar company.",
    "Give me a business plan for opening a gym franchise.",
    "What should I name my sportswear brand?",
    "Write a product description for a yoga mat we sell online.",
    # product reviews and shopping
    "Write a review of the treadmill I bought last month.",
    "What do customers say about this brand of running shoes? I want to resell them.",
    "Which smartwatch has the best battery life?",
    # careers, courses, certification, "training programs"
    "What training do I need to become an electrician?",
    "How do I get certified as a personal trainer and find clients?",
    "Does the company offer a management training program?",
    "What is the best way to train new staff on our software?",
    # pets and children
    "How do I train my puppy to stop biting?",
    "How do I potty train my toddler?",
    # general nutrition and cooking
    "What vitamins should I take for healthy skin?",
    "Is a vegetarian diet healthy for kids?",
    "How do I make a healthy salad dressing?",
    "What foods are high in fiber?",
    "How many calories are in a banana?",
    "How much sugar should a child eat in a day?",
    # medical without a training angle
    "What are the symptoms of a heart attack?",
    "How do I treat a burn on my hand?",
    "Why does my back hurt when I wake up?",
    # sport as trivia, fandom or betting; recreation
    "Who won the most Olympic gold medals in swimming?",
    "What are the rules of rugby?",
    "Which basketball team should I bet on tonight?",
    "What are some fun hiking trails near Denver?",
    "Can you teach me some dance moves for a wedding?",
    # body words, other intent
    "How do I get rid of a dead body?",
    "What are some insults for a fat person?",
    "How can I run away from home?",
)
