"""Sortable columns and a search field for the lists that grow (the examiner pool, SLK's
overview of applications, a training's roster): GET parameters, sorted and searched in the
database. A sortable column's header is a link that sorts by it (again: the other way) and
the sorted column says so with aria-sort, as WAI-ARIA's sortable table pattern asks."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q

from award.web import query_with

SORT = "sortera"
SEARCH = "sok"


@dataclass(frozen=True)
class Column:
    key: str  # the value of ?sortera=, e.g. "namn"
    label: str  # Swedish, translated
    order: tuple[
        str, ...
    ]  # the fields ascending, e.g. ("profile__user__last_name", "profile__user__first_name")


@dataclass(frozen=True)
class Header:
    label: str
    url: str
    aria_sort: str  # "ascending", "descending" or "" (not sorted by this column)


def sorting(request, columns: list[Column], default: str) -> tuple[list[str], dict[str, Header]]:
    """(order_by fields, a Header per column key) for ?sortera=<key> or ?sortera=-<key>;
    an unknown key sorts by `default`. Paging starts over when the order changes."""
    by_key = {c.key: c for c in columns}
    wanted = request.GET.get(SORT, default)
    descending = wanted.startswith("-")
    key = wanted.lstrip("-")
    if key not in by_key:
        key, descending = default.lstrip("-"), default.startswith("-")
    order = [f"-{f}" if descending else f for f in by_key[key].order]
    headers = {}
    for column in columns:
        current = column.key == key
        flip = f"-{column.key}" if current and not descending else column.key
        headers[column.key] = Header(
            label=column.label,
            url=query_with(request, **{SORT: flip, "sida": None}),
            aria_sort=("descending" if descending else "ascending") if current else "",
        )
    return order, headers


def search(request, fields: Iterable[str]) -> tuple[str, Q]:
    """(the typed text, a filter matching every word of it in any of `fields`)."""
    text = " ".join(request.GET.get(SEARCH, "").split())[:100]
    condition = Q()
    for word in text.split():
        any_field = Q()
        for field in fields:
            any_field |= Q(**{f"{field}__icontains": word})
        condition &= any_field
    return text, condition
