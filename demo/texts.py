"""The demo's data files, demo/data/*.json: the city, its people, the entries and every
Swedish text the seed writes, kept out of the code so they read and change as text.

city.json (demo.award): administrations, competition classes, units, names, tracks with
their criteria, the scale and past results. submissions.json: the entries of both cycles,
each kind of work's words and the sentence banks the answers are put together from.
examiners.json, scoring.json and judging.json: the examiners' details, the assessors'
comments and the committee's texts. Enumerations are stored by their values (`"district"`,
`"quality_award"`, `"approach"`), kinds of work by the competition class's name.
"""

import functools
import json
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


@functools.cache
def load(name: str) -> dict:
    """The parsed file demo/data/<name>.json, read once; callers must not change it."""
    with (DATA / f"{name}.json").open(encoding="utf-8") as file:
        return json.load(file)
