"""Signals for apps further up the chain, which submissions may not import.

`application_status_changed` is sent inside the service's transaction when a submitted
application is withdrawn or reopened, with `application`, `by` and `status_before`: the
examiners app takes it away from its team or flags the team.
"""

from django.dispatch import Signal

application_status_changed = Signal()
