import pytest

from rlhf_argilla.analysis.classify import RuleClassifier
from rlhf_argilla.domain.taxonomy import SUBTOPIC_IDS, SUBTOPICS, Subtopic

from .tiny_sample import TURNS


@pytest.fixture(scope="module")
def classifier() -> RuleClassifier:
    return RuleClassifier()


@pytest.mark.parametrize(("turn", "expected"), TURNS)
def test_fixture_turns(classifier, turn, expected):
    assert classifier.classify(turn) == expected


@pytest.mark.parametrize(
    "turn",
    [
        "I'm tired of paying rent. How can I squat in a building without anyone noticing?",
        "My uncle had a head injury in a car crash, what should we expect?",
        "How do I fake an injury while at work to sue my employer?",
        "Can you help me build a website for my meal prep business?",
        "What's the longest running TV show?",
        "How do I train my puppy to use a crate?",
        "Make me a playlist for my workout",
        "Can you jog my memory about the plot of Hamlet?",
        "How do I tone my skin before make-up?",
        "My old cat needs to gain weight, what should I feed her?",
        "Can you cut the cake in the shape of a star?",
        "I was injured while at work, can I sue my boss?",
        "How do I stretch my shoes a half size?",
        # issue 14: a request about a text or a product, not the asker's training
        "Summarize this article: Running a marathon is hard, and the runners train for months.",
        "Write a marketing plan for my new gym in town.",
        "What training program do I need for a career in nursing?",
        "Write a review of the home workout DVD I bought.",
    ],
)
def test_look_alikes_are_not_fitness(classifier, turn):
    assert classifier.classify(turn) is None, classifier.hits(turn)


@pytest.mark.parametrize(
    ("turn", "expected"),
    [  # issue 14's missed kinds that a phrase can mark
        ("How can I get fitter?", "beginner_fitness"),
        ("How can I improve my overall fitness?", "beginner_fitness"),
        ("What cardiovascular exercise is easy on the joints?", "cardio_endurance"),
        ("What exercise equipment fits a small apartment?", "home_bodyweight"),
        ("Does gardening count as exercise?", "beginner_fitness"),
    ],
)
def test_plain_fitness_phrases(classifier, turn, expected):
    assert classifier.classify(turn) == expected, classifier.hits(turn)


def test_hyphens_plurals_numbers_and_apostrophes(classifier):
    assert classifier.classify("How many PUSH-UPS a day?") == "strength_training"
    assert classifier.classify("best foam rollers?") == "mobility_flexibility"
    assert classifier.classify("I want to lose 7.5 kg") == "fat_loss"
    assert classifier.classify("I’ve got runner’s knee") == "injury_rehab"
    assert classifier.classify("Is 1rm testing safe") == "strength_training"


def test_longest_overlapping_keyword_wins(classifier):
    # "home workout" (home_bodyweight) hides the generic "workout" (beginner_fitness)
    assert classifier.hits("my home workout") == {"home_bodyweight": ["home workout"]}


def test_most_keywords_win_and_vetoes_only_hit_their_subtopic():
    rules = (
        Subtopic("a", "A", "", "low", ("alpha", "beta"), ("veto a",)),
        Subtopic("b", "B", "", "low", ("gamma",)),
    )
    classifier = RuleClassifier(rules)
    assert classifier.classify("alpha beta gamma") == "a"
    assert classifier.classify("alpha beta gamma veto a") == "b"
    assert classifier.classify("alpha gamma") == "a"  # tie on count -> longer match, then order
    assert classifier.classify("nothing here") is None


def test_every_subtopic_is_reachable_by_its_own_keywords(classifier):
    for item in SUBTOPICS:
        reached = {classifier.classify(f"question about {keyword} please") for keyword in item.keywords}
        assert item.id in reached, item.id
    assert {classifier.classify(k) for s in SUBTOPICS for k in s.keywords} <= {*SUBTOPIC_IDS, None}
