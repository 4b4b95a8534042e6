"""Renderers shared by every stage's report: markdown tables and matplotlib PNG charts.

Generic on purpose: they know nothing about HH-RLHF, annotations or datasets.
"""
