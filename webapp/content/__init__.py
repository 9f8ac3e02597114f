"""Lessons, the exercise library and the muscle index, shipped as data files and loaded into the database."""
