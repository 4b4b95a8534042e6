"""distilabel pipeline: contrasting response pairs for fitness prompts.

DAG (built by ``rlhf_argilla.generation.pairs.build_pairs_pipeline``)::

    load_prompts (LoadDataFromDicts: prompts.jsonl + the candidate strategies per prompt)
      >> answer_with_strategies (AnswerWithStrategies task: one answer per strategy)
      >> judge (LLMJudge, UltraFeedback-style, on Claude; HeuristicJudge heuristic-v1 on the
                embedded model)
      >> select_pair (SelectPair: widest predicted margin above a text-distance floor)

Runs exactly like ``rlhf-argilla generate pairs`` (same options, same output)::

    python pipelines/response_pairs.py --help
    python pipelines/response_pairs.py --prompts out/gen --out out/gen
"""

import sys

from rlhf_argilla.cli.app import app

if __name__ == "__main__":
    app(["generate", "pairs", *sys.argv[1:]], prog_name="response_pairs.py")
