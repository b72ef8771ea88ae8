"""Sanctions lists: importers for the formats the authorities publish, versions and their
differences, deals (what was given for whose release) and screening of persecutors.

``formats/`` reads files into :class:`~prisonwatch.sanctions.model.ParsedList` (no database);
the store keeps versions as statements so that two versions differ by a set difference.
"""
