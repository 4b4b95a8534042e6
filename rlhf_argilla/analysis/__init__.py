"""HH-RLHF gap analysis: read transcripts, classify first human turns, measure coverage, report."""
