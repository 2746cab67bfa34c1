"""Satisfaction surveys when a service ends, and follow-up contacts scheduled after closure."""
