"""Governance engine: budget execution math, spending-file validation and the annual report's
tables and renderers. Plain Python: never imports Django or another app."""
