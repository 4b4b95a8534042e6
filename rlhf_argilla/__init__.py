"""rlhf-argilla: fitness-domain RLHF preference datasets with humans in the loop."""

__version__ = "0.1.0"
