"""The two stamps a session's lifetime is measured from: when the person logged in and when
a request was last seen. config.middleware.SessionLifetimeMiddleware reads them and moves
the second; the first is written here, at login.

The stamp lives in the award app rather than beside the middleware so that the app can
connect it in its ready(): Django imports the middleware only with the first request, and a
login before that (a test client's force_login, a shell) would go unstamped. Importing the
middleware from the app instead would make the award app import config."""

import time

LOGIN_TIME_KEY = "award_login_time"
SEEN_TIME_KEY = "award_seen_time"


def stamp_login_time(sender, request, user, **kwargs):
    """user_logged_in receiver: the session's lifetime starts now."""
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[LOGIN_TIME_KEY] = now
        request.session[SEEN_TIME_KEY] = now
