"""Annotation in Argilla: dataset settings, records, push, annotators and progress."""
