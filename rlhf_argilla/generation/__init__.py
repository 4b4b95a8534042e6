"""Generation stage: distilabel pipelines for fitness prompts and contrasting response pairs.

Pure parts (allocation, questions, candidates, flaws, similarity, heuristic_judge, llm_judge,
selection, usage_summary) carry no distilabel import; ``steps`` wraps them as distilabel steps;
``prompts`` / ``pairs`` build and run the pipelines (``runner`` picks local processes or Ray).
"""
