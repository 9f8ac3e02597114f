"""The front door: what CoreSteady is for visitors, and each role's starting page."""
