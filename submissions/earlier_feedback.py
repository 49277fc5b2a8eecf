"""The unit's last released feedback, asked for while it writes a new application.

The feedback report lives in scoring, above this app, so scoring registers the function
that reads it (in its ready()); this app only asks. Without a registered reader (scoring
not installed) a unit simply sees no earlier areas."""

from collections.abc import Callable

_reader: Callable | None = None


def register(reader: Callable) -> None:
    """`reader(application)` returns {criterion number: [areas for improvement]} from the
    unit's last released feedback report of an earlier cycle in the same track."""
    global _reader
    _reader = reader


def areas_for(application) -> dict[int, list[str]]:
    return _reader(application) if _reader is not None else {}
