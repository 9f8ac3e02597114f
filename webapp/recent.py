"""What a process keeps to answer faster: a bounded table per app, least recently used first out.

Whoever keeps something here checks it against the database before trusting it (programs/structure.py,
sessions/kept.py): nothing kept is the only copy of anything, so a process can start empty or drop any entry.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable

from flask import current_app


class Recent:
    """At most `capacity` entries, safe across a process's threads; `puts` counts the entries made (for tests)."""

    def __init__(self, capacity: int):
        self.capacity = capacity
        self.entries: OrderedDict[Hashable, object] = OrderedDict()
        self.lock = threading.Lock()
        self.puts = 0

    def get(self, key: Hashable):
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
            return entry

    def put(self, key: Hashable, entry) -> None:
        with self.lock:
            self.puts += 1
            self.entries[key] = entry
            self.entries.move_to_end(key)
            while len(self.entries) > self.capacity:
                self.entries.popitem(last=False)


def recent(name: str, capacity: int) -> Recent:
    """This app's table of that name (made on first use)."""
    found = current_app.extensions.get(name)
    if found is None:
        found = current_app.extensions.setdefault(name, Recent(capacity))
    return found
