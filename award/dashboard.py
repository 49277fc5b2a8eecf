"""What a role's start page (/hem/) counts in a cycle: the numbers and to-dos of the phase,
each linking to the list that shows exactly those. The later apps register a provider per
role in their ready() (as they do for personal data), so the award app imports none of
them. A provider answers with a fixed number of queries, whatever the cycle's size."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Todo:
    label: str  # Swedish, already translated: "Anmälningar som väntar på godkännande"
    count: int
    url: str  # the list filtered to exactly these


Provider = Callable[..., list[Todo]]  # provider(*, user, cycle) -> list[Todo]

_PROVIDERS: dict[str, list[Provider]] = {}


def register(role: str, provider: Provider) -> None:
    if provider not in _PROVIDERS.setdefault(str(role), []):
        _PROVIDERS[str(role)].append(provider)


def todos(*, role: str, user, cycle) -> list[Todo]:
    """Every registered provider's to-dos for `role` in `cycle`, those with nothing to do left out."""
    return [
        todo
        for provider in _PROVIDERS.get(str(role), [])
        for todo in provider(user=user, cycle=cycle)
        if todo.count
    ]
