"""The distilabel pipelines themselves: short DAGs over the steps of :mod:`rlhf_argilla.generation`.

``generate prompts`` / ``generate pairs`` (and the demo) build their pipelines here; each module also
runs on its own (``python pipelines/<name>.py --help``; the repository's ``pipelines/`` folder is
this package) and saves distilabel's own ``Distiset``, for users who want to copy and edit a DAG.
"""
