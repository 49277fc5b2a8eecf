"""The optimistic lock of texts that several people edit (an answer, an assessment, the
consensus, a site visit, the feedback report, a committee decision).

Such a row carries a `version`. A page posts the version it was loaded from; the service
locks the row (`select_for_update`), calls `check_version`, and on a change `bump_version`
before saving. A save from an old version is refused with `StaleEdit`, which carries the
row as it is now so the page can show both texts; nothing is overwritten.

    row = Model.objects.select_for_update(of=("self",)).get(pk=row.pk)
    check_version(row, base_version)
    ...  # the rules, the changes
    bump_version(row)
    row.save()

An autosave, the most frequent save, does not lock the row while it checks: it compares
the caller's copy (`is_current`), checks, and saves with `save_if_version`, one
`UPDATE ... SET version = base + 1 WHERE version = base` as its last statement; when that
updates nothing, someone saved meanwhile and the service raises `StaleEdit` with the row
read anew (and its transaction, audit entry included, is rolled back).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class StaleEdit(ValidationError):
    """Someone saved since this form was loaded. `current` is the row as it is now."""

    def __init__(self, current, message: str = ""):
        self.current = current
        super().__init__(
            message
            or _(
                "Någon annan har sparat här sedan du öppnade sidan. Dina ändringar är inte sparade; "
                "jämför med den nya versionen nedan och spara igen."
            )
        )


def check_version(row, base_version: int | None) -> None:
    """Refuse with `StaleEdit` unless `row` (locked by the caller) is still at the version
    the page was loaded from. A page that sent no version (None) is refused too."""
    if base_version is None or row.version != base_version:
        raise StaleEdit(row)


def bump_version(row) -> None:
    """The row's next version, for the save that follows: only a save moves it."""
    row.version += 1


def is_current(row, base_version: int | None) -> bool:
    """Whether the caller's copy of `row` is at the version the page was loaded from."""
    return base_version is not None and row.version == base_version


def save_if_version(queryset, base_version: int, **fields) -> bool:
    """Write `fields` and the next version to the row of `queryset` (one pk) only if it is
    still at `base_version`; False when someone saved meanwhile (nothing is written)."""
    return bool(queryset.filter(version=base_version).update(version=base_version + 1, **fields))
