"""Helpers that belong to no stage of the cycle: canonical JSON and hashing,
form widgets, the abstract bases of agency-owned rows, and the small interface
through which the lowest apps (audit, jobs) learn who is looking.

Nothing here imports a Kinerja app, so every layer may import it.
"""
