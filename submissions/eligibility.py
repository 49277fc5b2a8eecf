"""The city's eligibility rules for entering the award, each one explained.

A rule either blocks registration, or (the deficit rule) lets the unit compete while
marking it as not eligible to receive the award; that mark follows the application to
the committee.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from award.models import PastResult, Track, Unit

MIN_STAFF = 5
MIN_STOCKHOLMERS_SHARE = 51
WINNER_QUARANTINE_YEARS = 2


@dataclass(frozen=True)
class Rule:
    code: str
    ok: bool
    text: str
    blocking: bool = True


@dataclass
class Eligibility:
    rules: list[Rule] = field(default_factory=list)

    @property
    def can_register(self) -> bool:
        return all(rule.ok for rule in self.rules if rule.blocking)

    @property
    def award_eligible(self) -> bool:
        return all(rule.ok for rule in self.rules)

    @property
    def refusals(self) -> list[str]:
        return [rule.text for rule in self.rules if rule.blocking and not rule.ok]

    @property
    def note(self) -> str:
        return " ".join(rule.text for rule in self.rules if not rule.blocking and not rule.ok)


def check(
    *,
    unit: Unit,
    track: Track,
    head_has_full_responsibility: bool | None = None,
    deficit_last_year: bool = False,
    deficit_forecast: bool = False,
    past_results=None,
) -> Eligibility:
    """Apply every rule to a unit entering a track. Declarations not yet made (None) are
    reported as open questions rather than failures. `past_results` may be given
    (prefetched) to avoid a query per unit on list pages."""
    year = track.cycle.year
    rules = []

    if head_has_full_responsibility is None:
        rules.append(
            Rule(
                "head",
                True,
                _("Enhetens chef ska ha verksamhets-, budget- och personalansvar (bekräftas i anmälan)."),
            )
        )
    else:
        rules.append(
            Rule(
                "head",
                bool(head_has_full_responsibility),
                _("Chefen har verksamhets-, budget- och personalansvar.")
                if head_has_full_responsibility
                else _(
                    "Enhetens chef måste ha verksamhets-, budget- och personalansvar för att enheten ska få delta."
                ),
            )
        )

    rules.append(
        Rule(
            "plan",
            unit.has_operational_plan,
            _("Enheten har en verksamhetsplan med mål.")
            if unit.has_operational_plan
            else _("Enheten saknar verksamhetsplan med mål, vilket krävs för att delta."),
        )
    )

    rules.append(
        Rule(
            "staff",
            unit.staff_count >= MIN_STAFF,
            _("Enheten har %(count)s medarbetare inklusive chefen (minst %(min)s krävs).")
            % {"count": unit.staff_count, "min": MIN_STAFF}
            if unit.staff_count >= MIN_STAFF
            else _("Enheten har %(count)s medarbetare inklusive chefen; minst %(min)s krävs.")
            % {"count": unit.staff_count, "min": MIN_STAFF},
        )
    )

    if unit.is_private_provider:
        share = unit.stockholmers_share or 0
        rules.append(
            Rule(
                "private",
                share >= MIN_STOCKHOLMERS_SHARE,
                _("Privat utförare: %(share)s %% av brukarna är stockholmare (minst %(min)s %% krävs).")
                % {"share": share, "min": MIN_STOCKHOLMERS_SHARE}
                if share >= MIN_STOCKHOLMERS_SHARE
                else _(
                    "Privat utförare: bara %(share)s %% av brukarna är stockholmare; minst %(min)s %% krävs."
                )
                % {"share": share, "min": MIN_STOCKHOLMERS_SHARE},
            )
        )

    results = past_results if past_results is not None else unit.past_results.all()
    won = recent_win(results, track_kind=track.kind, year=year)
    if won is not None:
        rules.append(
            Rule(
                "previous_win",
                False,
                _("Enheten vann %(track)s %(won)s och får tävla igen tidigast %(again)s.")
                % {"track": track.get_kind_display(), "won": won, "again": next_possible_win(won)},
            )
        )

    if deficit_last_year or deficit_forecast:
        which = (
            _("förra årets resultat och årets prognos")
            if deficit_last_year and deficit_forecast
            else _("förra årets resultat")
            if deficit_last_year
            else _("årets prognos")
        )
        rules.append(
            Rule(
                "deficit",
                False,
                _(
                    "Enheten redovisar underskott (%(which)s). Den får tävla och få återföring, "
                    "men kan inte tilldelas utmärkelsen."
                )
                % {"which": which},
                blocking=False,
            )
        )
    return Eligibility(rules)


def recent_win(past_results, *, track_kind: str, year: int) -> int | None:
    """The latest year within the quarantine before `year` in which the unit won this kind
    of track, if any: such a unit may neither enter nor win."""
    wins = [
        r.year
        for r in past_results
        if r.outcome == PastResult.Outcome.WINNER
        and r.track_kind == track_kind
        and year - WINNER_QUARANTINE_YEARS <= r.year < year
    ]
    return max(wins, default=None)


def next_possible_win(won: int) -> int:
    """The first year a unit that won in `won` may compete again (won 2024: 2027)."""
    return won + WINNER_QUARANTINE_YEARS + 1
