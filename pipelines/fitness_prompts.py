"""distilabel pipeline: fitness prompts.

DAG (built by ``rlhf_argilla.generation.prompts.build_prompt_pipeline``)::

    load_slots (LoadDataFromDicts: allocated subtopic x persona x difficulty)
      >> write_question (WriteQuestion task: the LLM phrases one question per slot)
      >> finalise_prompts (GlobalStep: asker scaffold, usable-question filter with templated
                           fallback, MinHash near-duplicate removal)

Runs exactly like ``rlhf-argilla generate prompts`` (same options, same output)::

    python pipelines/fitness_prompts.py --help
    python pipelines/fitness_prompts.py -n 120 --out out/gen
"""

import sys

from rlhf_argilla.cli.app import app

if __name__ == "__main__":
    app(["generate", "prompts", *sys.argv[1:]], prog_name="fitness_prompts.py")
