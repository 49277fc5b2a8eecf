"""What a declared conflict of interest (jäv) covers, for the examiners (R8) and the judging
committee (R13) alike: a declaration names one unit or a whole administration, and covers
a unit when it names that unit or the unit's administration.

Plain Python on ids, so the team proposal, which works on plain data for thousands of
applications, asks the same function as the models (`ConflictTargetMixin.covers`)."""


def covers(declaration, *, unit_id: int, organisation_id: int) -> bool:
    """Whether `declaration` (anything with `unit_id` and `organisation_id`, one of them
    None) covers the unit `unit_id` of the administration `organisation_id`."""
    return declaration.unit_id == unit_id or declaration.organisation_id == organisation_id
