"""Generation stage: distilabel pipelines for fitness prompts and contrasting response pairs.

Pure parts (allocation, questions, candidates, flaws, similarity, heuristic_judge, llm_judge,
selection, usage_summary) carry no distilabel import; ``steps`` wraps them as distilabel steps;
``prompts`` / ``pairs`` run the DAGs of :mod:`rlhf_argilla.pipelines` and write their outputs (``runner`` picks local processes or Ray).
"""
