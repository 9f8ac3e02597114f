"""The one moment the suite's clock stands at, so that no test depends on when or where it runs."""

from __future__ import annotations

from datetime import UTC, datetime

from webapp.timeutil import local_date

# 23:30 UTC on Wednesday 1 July 2026 is already 00:30 on Thursday 2 July in London (summer time), the zone
# the factories give a test user. A test or a rule that takes the UTC day for the user's day fails here on
# every run, rather than only on a summer night.
FROZEN_AT = datetime(2026, 7, 1, 23, 30, tzinfo=UTC)
TEST_ZONE = "Europe/London"
TODAY = local_date(FROZEN_AT, TEST_ZONE)  # Thursday 2 July 2026
