"""Fitness domain knowledge as data: taxonomy, asker personas, difficulty, criteria, strategies.

No logic beyond lookups lives here; every stage derives what it needs from these tables.
"""
