"""Rule R8 in one place: when an examiner has a conflict of interest (jäv) with an
application. An examiner never assesses a unit of their own administration, nor the unit
they work at, nor a unit that a conflict they declared covers (the unit itself, or its whole
administration; `award.conflicts.covers`).

`Ties` holds what an examiner's conflicts follow from, as plain ids. The pool member's
reasons (`PoolMember.conflict_reasons`: the services, the team rules and the pages) and the
team proposal (`proposal.conflicts`, and its index of whom each administration and unit
excludes, `Ties.excluded`) all ask it. Plain Python, so the proposal stays plain data."""

from dataclasses import dataclass
from enum import Enum

from award.conflicts import covers


class Ground(Enum):
    ADMINISTRATION = "administration"  # the unit is in the examiner's own administration
    WORKPLACE = "workplace"  # the examiner works at the unit
    DECLARED = "declared"  # a declared conflict covers the unit


@dataclass(frozen=True)
class Declared:
    """A declared conflict as plain data: with one unit or one administration."""

    unit_id: int | None = None
    organisation_id: int | None = None


@dataclass(frozen=True)
class Ties:
    organisation_id: int  # the examiner's own administration
    employer_unit_id: int | None = None  # the unit they work at, if any
    declarations: tuple = ()  # their declared conflicts: Declared, or Conflict rows

    def grounds(self, *, unit_id: int, organisation_id: int) -> list[tuple[Ground, object]]:
        """Why the examiner may not assess an application of the unit `unit_id` in the
        administration `organisation_id`, in this order: (ground, the declaration for a
        declared conflict, else None). Empty when they may."""
        found = []
        if organisation_id == self.organisation_id:
            found.append((Ground.ADMINISTRATION, None))
        if self.employer_unit_id is not None and unit_id == self.employer_unit_id:
            found.append((Ground.WORKPLACE, None))
        found += [
            (Ground.DECLARED, d)
            for d in self.declarations
            if covers(d, unit_id=unit_id, organisation_id=organisation_id)
        ]
        return found

    def excluded(self) -> tuple[frozenset[int], frozenset[int]]:
        """(administrations, units) the examiner has jäv with: `grounds` for a unit is not
        empty exactly when its administration or the unit itself is here. The proposal's
        index, so that it never lists an application's examiners one by one."""
        organisations = {self.organisation_id, *(d.organisation_id for d in self.declarations)}
        units = {self.employer_unit_id, *(d.unit_id for d in self.declarations)}
        return frozenset(organisations - {None}), frozenset(units - {None})
