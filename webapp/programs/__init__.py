"""Routines and multi-week programs: the shipped starter programs and those trainers build."""
