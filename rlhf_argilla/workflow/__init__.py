"""Multi-stage workflows built from the stage functions (the CLI's `demo`)."""
