"""Reminders: each person's settings, and the job producer that reminds them on a planned day not yet done."""
