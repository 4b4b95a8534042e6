"""distilabel steps that anyone's pipeline can reuse. Importing this package imports distilabel."""

from rlhf_argilla.steps.preference_pairs import PreferencePairsToArgilla

__all__ = ["PreferencePairsToArgilla"]
