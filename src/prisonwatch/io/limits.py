"""Limits on reading a file: how much an XLSX workbook may unpack to, how many columns and
cells its sheet may have, and how long the work may take (a web request stops when its time is
up, when the client goes away, or when the server shuts down).

XLSX is a ZIP archive of XML: 4.8 KB can declare a sheet of 16,384 × 1,048,576 cells, and 412
KB can unpack to 419 MB. The limits are checked before and while reading, never after.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

MB = 2**20


class WorkStopped(Exception):
    """The work was stopped: its time ran out, or the one who asked for it went away."""


@dataclass
class StopSignal:
    """Set by whoever asked for the work (the client went away, the server is stopping) or by
    the clock (``seconds`` after creation); :meth:`check` raises :class:`WorkStopped`."""

    seconds: float | None = None
    _event: threading.Event = field(default_factory=threading.Event, repr=False)
    _started: float = field(default_factory=time.monotonic, repr=False)
    reason: str = ""

    def stop(self, reason: str) -> None:
        if not self._event.is_set():
            self.reason = reason
            self._event.set()

    def check(self) -> None:
        if self.seconds is not None and time.monotonic() - self._started > self.seconds:
            self.stop(f"it took longer than {self.seconds:g} s")
        if self._event.is_set():
            raise WorkStopped(self.reason)


@dataclass(frozen=True)
class ReadLimits:
    """What a table file may hold. The defaults are the command line's; the web app's are
    :data:`WEB_LIMITS`."""

    #: the XLSX archive's content, unpacked (the sum of its members' sizes)
    max_unpacked: int = 256 * MB
    #: columns of the sheet (declared or used)
    max_columns: int = 1_000
    #: rows × columns of the sheet (declared or used)
    max_cells: int = 50_000_000
    #: members of the archive
    max_members: int = 10_000
    stop: StopSignal | None = None

    def check(self) -> None:
        if self.stop is not None:
            self.stop.check()


CLI_LIMITS = ReadLimits()
#: a web upload: 10 MB as sent (see prisonwatch.web.lists) and 50 MB unpacked
WEB_MAX_UNPACKED = 50 * MB
