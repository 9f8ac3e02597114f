"""Draws the exercise figures in static/img/exercises/ (see README.md); never imported by the app."""
