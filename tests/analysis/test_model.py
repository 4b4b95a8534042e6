"""The shipped classifier (the recorded design: TF-IDF + logistic regression alone) and the report's headline."""

import re

import pytest

from rlhf_argilla.analysis.evaluate import load_recorded
from rlhf_argilla.analysis.model import shipped_classifier
from rlhf_argilla.analysis.run import run_analysis
from rlhf_argilla.domain.taxonomy import SUBTOPIC_IDS


@pytest.fixture(scope="module")
def classifier():
    return shipped_classifier()


def test_report_headline_is_the_out_of_sample_figure_not_the_in_sample_one(tiny_sample, tmp_path):
    recorded = load_recorded()
    run_analysis([str(tiny_sample.root)], tmp_path)
    report = (tmp_path / "report.md").read_text()
    row = re.search(
        r"\| classifier quality \| precision ([\d.]+) \(95 % CI [\d.-]+\), recall ([\d.]+) \(95 % CI [\d.-]+\) "
        r"out of sample \(leakage-free",
        report,
    )
    assert row, report
    shown = (float(row[1]), float(row[2]))
    oos, inside = recorded["out_of_sample"], recorded["in_sample"]
    assert shown == (round(oos["precision"], 3), round(oos["recall"], 3))
    assert shown != (round(inside["precision"], 3), round(inside["recall"], 3))
    assert f"Quality: precision {oos['precision']:.3f} (95 % CI" in report
    assert f"over {recorded['labelled_set']['turns']} hand-labelled turns" in report


def test_every_flag_is_one_of_the_subtopics(classifier):
    texts = [
        "I want to lose 15 lbs before my first half marathon",
        "What are some good stretches before going to the gym?",
        "How do I bake rye bread?",
    ]
    found = classifier.classify_many(texts)
    assert found[0] in SUBTOPIC_IDS and found[1] in SUBTOPIC_IDS, found
    assert found[2] is None
    assert classifier.classify_many([]) == []
    assert found == [classifier.classify(text) for text in texts]


def test_model_flags_get_a_subtopic_from_the_centroids(classifier):
    """Labelled fitness turns no rule matches: the model flags some, each gets a subtopic."""
    from rlhf_argilla.analysis.classify import RuleClassifier
    from rlhf_argilla.analysis.evaluate import load_labelled
    from rlhf_argilla.domain.classifier import LABELLED_SET

    rules = RuleClassifier()
    unruled = [i.text for i in load_labelled(LABELLED_SET) if i.fitness and rules.classify(i.text) is None]
    flagged = [value for value in classifier.classify_many(unruled) if value is not None]
    assert len(flagged) >= len(unruled) // 2 and set(flagged) <= set(SUBTOPIC_IDS)


@pytest.mark.parametrize(
    "turn",
    [
        "How do I bake rye bread?",
        "How do I train my puppy to use a crate?",
        "Can you summarize this article about the stock market for me?",
        "What is a normal blood pressure reading?",
    ],
)
def test_look_alikes_are_not_fitness(classifier, turn):
    assert classifier.classify(turn) is None


@pytest.mark.parametrize(
    "turn",
    [  # the question kinds issue 14 found the rules missing, phrased anew (not in the labels)
        "What is the proper form for a deadlift?",
        "How can I improve my cardiovascular fitness?",
        "How many calories should I eat a day to lose weight?",
        "What exercise equipment works in a small apartment?",
        "How do I stay motivated to work out?",
        "Does walking to work count as exercise?",
    ],
)
def test_the_question_kinds_the_rules_missed_are_flagged(classifier, turn):
    assert classifier.classify(turn) in SUBTOPIC_IDS
