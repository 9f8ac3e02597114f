"""Messages between a client and their trainer: one thread per client, written offline and synced exactly once."""
