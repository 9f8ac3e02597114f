"""Completed sessions, pain and effort, check-ins, onboarding, and progress over time."""
