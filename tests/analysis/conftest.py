from tests.analysis.tiny_sample import tiny_sample  # noqa: F401  (fixture)
