"""Accounts: sign up, log in, passwords, roles and the login throttle."""
