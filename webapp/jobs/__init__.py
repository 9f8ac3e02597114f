"""Jobs: work done outside a request (mail, reminders), queued in the app's own database and run by a worker."""
