"""PrisonWatch: a registry of political prisoners, name matching across scripts,
list reconciliation and status over time."""

__version__ = "0.1.0"
