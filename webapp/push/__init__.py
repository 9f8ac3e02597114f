"""Web Push: the browsers' subscriptions, the server's VAPID key, and `notify`, which queues a push per subscription."""
