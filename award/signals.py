"""Signals for apps further up the chain, which award may not import.

`unit_organisation_changed` is sent by `services.unit_save` inside its transaction when a
unit moves to another administration (organisation), with `unit`, `organisation_before`
and `by`: the examiners app takes the unit's applications from examiners of the unit's new
administration (R8) and flags their teams.
"""

from django.dispatch import Signal

unit_organisation_changed = Signal()
