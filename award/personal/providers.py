"""The registry of personal data: each app above award says what it holds about a person.

The award app cannot import the apps above it, yet its personal-data page must show and
anonymise everything the platform holds. So each of those apps registers a provider from
its AppConfig.ready(), and award.personal.data asks every registered provider, in the
order the apps are installed (the order of the chain), which is the order of the page and
of the download.

A provider answers three questions about one person:

- export(person): its sections of the export, each a JSON key, a heading for SLK's page
  (None: only in the download) and plain JSON-able data (a list of rows, or one row);
- refusals(person): why the person cannot be anonymised now (empty when they can);
- anonymise(person, by=…): forget who the person was in what the app holds, keeping every
  record; returns what it did for the audit record's summary. It runs inside the
  anonymisation's one transaction, after every provider's refusals came back empty.

`models` names every model of the app that refers to a person (a relation to the user
model). The provider answers for those rows: what it exports and clears of them. A
reference that only says which staff member acted (recorded_by, approved_by…) is kept as
it is; the audit trail, which award exports, tells what that person did. A test holds
every such model of an installed app to some provider's `models`.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from django.apps import apps
from django.db import models


@dataclass(frozen=True)
class Section:
    key: str
    title: str | None
    data: Any


class Provider(Protocol):
    label: str
    models: Sequence[type[models.Model]]
    # Fields the anonymisation empties, named in its audit record.
    cleared: Sequence[str]

    def export(self, person) -> list[Section]: ...

    def refusals(self, person) -> list[str]: ...

    def anonymise(self, person, *, by) -> dict: ...


_registry: dict[str, Provider] = {}


def register(provider: Provider) -> None:
    """Add the app's provider (once per app: a second ready() replaces, not duplicates)."""
    _registry[provider.label] = provider


def registered() -> list[Provider]:
    """The providers in the order their apps are installed."""
    order = {config.label: i for i, config in enumerate(apps.get_app_configs())}
    return sorted(_registry.values(), key=lambda provider: order.get(provider.label, len(order)))


def iso(value) -> str | None:
    """A date or time as the export writes it."""
    return value.isoformat() if value is not None else None
