"""Answers remembered for the length of one request, so that one request does not ask the
database the same question several times: the view's decorator, the page and the service
behind an autosave each ask whether the user may assess the application and where they
sit in its team.

Only inside a request (`RequestMemoMiddleware` opens the memo and closes it afterwards):
a service called from a shell, a command, a task or a test outside a request computes
every time, as before. Any recorded change (`award.audit.record`, which every service
calls for each change it makes) forgets everything remembered, so a request that changes
a team or a permission never reads an answer from before the change.
"""

from contextvars import ContextVar

from guardian.core import ObjectPermissionChecker

_memo: ContextVar[dict | None] = ContextVar("award_request_memo", default=None)


def remembered(key, compute):
    """compute(), asked once per request for the same key (a hashable tuple)."""
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def forget() -> None:
    """Forget what this request remembered (after a change)."""
    memo = _memo.get()
    if memo is not None:
        memo.clear()


class RequestMemoMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _memo.set({})
        try:
            return self.get_response(request)
        finally:
            _memo.reset(token)


def has_object_perm(user, perm: str, obj) -> bool:
    """`user.has_perm(perm, obj)` for a django-guardian object permission ("app.codename"),
    with all of the user's permissions on the object read once per request (one query)
    however many are asked."""
    if not user.is_authenticated or not user.is_active:
        return False
    app_label, codename = perm.split(".", 1)
    if obj._meta.app_label != app_label:
        return user.has_perm(perm, obj)
    perms = remembered(("object_perms", user.pk, obj._meta.label, obj.pk), lambda: _object_perms(user, obj))
    return codename in perms


def _object_perms(user, obj) -> frozenset[str]:
    checker = ObjectPermissionChecker(user)
    if user.is_superuser:
        return frozenset(checker.get_perms(obj))  # every permission of the model, as guardian says
    # guardian's two queries (the user's own grants, their groups'), sent as one statement.
    user_perms = checker.get_user_perms(obj).order_by()
    return frozenset(user_perms.union(checker.get_group_perms(obj).order_by()))
