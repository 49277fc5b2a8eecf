"""What the examiner's page offers for each of their applications: how far their work on it
has come and the steps open in the cycle's phase (the assessment, then the consensus, a site
visit when there is one, the leader's feedback report). The examination's state lives in
scoring, which registers the one provider in its ready(), so this app imports none of it.
The provider answers with a fixed number of queries, whatever the number of applications."""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Step:
    label: str  # Swedish, already translated: "Bedöm"
    url: str


@dataclass
class Progress:
    notes: list[str] = field(default_factory=list)  # "3 av 7 kriterier bedömda", "konsensus pågår"
    steps: list[Step] = field(default_factory=list)


# provider(*, member, applications: list[(application, is_leader)]) -> {application pk: Progress}
Provider = Callable[..., dict[int, Progress]]

_PROVIDERS: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def annotate(*, member, teams: list[dict]) -> None:
    """Give each application of `teams` (examiners.queries.examiner_page's rows) its
    `progress`, an application the examiner has a conflict on none."""
    pairs = [
        (application, row["is_leader"])
        for row in teams
        for application in row["applications"]
        if not application.conflict
    ]
    found: dict[int, Progress] = {}
    for provider in _PROVIDERS:
        for pk, progress in provider(member=member, applications=pairs).items():
            merged = found.setdefault(pk, Progress())
            merged.notes += progress.notes
            merged.steps += progress.steps
    for application, _leader in pairs:
        application.progress = found.get(application.pk, Progress())
