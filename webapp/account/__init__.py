"""The user's own account: settings, the private calendar feed, export and deletion of their data."""
