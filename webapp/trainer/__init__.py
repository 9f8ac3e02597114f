"""Trainers and physiotherapists: invites, their clients, the dashboard and comments."""
