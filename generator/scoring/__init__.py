"""Scores, demand and rankings: the same numbers for every output."""
