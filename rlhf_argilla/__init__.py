"""rlhf-argilla: fitness-domain RLHF preference datasets with humans in the loop."""

from rlhf_argilla.errors import disarm_rich_tracebacks as _disarm
from rlhf_argilla.redact import install_log_redaction as _redact_logs

__version__ = "0.1.0"

_disarm()  # before distilabel's import-time rich.traceback.install(show_locals=True)
_redact_logs()
