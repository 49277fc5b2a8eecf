"""Getting in, staying in: password reset, invitations and the second factor."""

import segno
from axes.helpers import get_client_ip_address
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import queries, services, twofactor
from accounts.forms import (
    AcceptForm,
    CodeForm,
    InvitationForm,
    InvitationImportForm,
    PasswordResetForm,
    RoleRequestForm,
    VolunteerRequestForm,
)
from accounts.models import Invitation, RoleRequest, VolunteerRequest
from award.models import AwardCycle, Unit
from award.roles import Role, has_role, role_required
from award.web import service_call
from examiners import views as examiner_views
from submissions import queries as submission_queries

TOTP_KEY_SESSION = "award_totp_key"


def _base_url(request) -> str:
    return request.build_absolute_uri("/")


def _next(request, default="home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(default)


# --- "Glömt lösenordet?" -----------------------------------------------------------------


@login_not_required
def password_reset(request):
    form = PasswordResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        sent = services.password_reset_request(
            email=form.cleaned_data["email"],
            client=get_client_ip_address(request) or "",
            base_url=_base_url(request),
        )
        if not sent:
            return render(
                request, "accounts/password_reset.html", {"form": form, "throttled": True}, status=429
            )
        return redirect("accounts:password_reset_done")
    return render(request, "accounts/password_reset.html", {"form": form})


@login_not_required
def password_reset_done(request):
    return render(request, "accounts/password_reset_done.html")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


@login_not_required
def password_reset_complete(request):
    return render(request, "accounts/password_reset_complete.html")


# --- invitations -------------------------------------------------------------------------


@login_not_required
def invitation(request, token):
    """The link of an invitation e-mail: set a password (or, logged in as the invited
    address, accept), then on to the person's start page."""
    found = queries.invitation_for_token(token)
    user = request.user if request.user.is_authenticated else None
    problem = queries.invitation_problem(found, user)
    if problem:
        may_ask = found is not None and not found.is_accepted
        return render(
            request,
            "accounts/invitation_refused.html",
            {"problem": problem, "may_ask": may_ask, "token": token},
        )
    # An account SLK made for the person (an accepted volunteer) still needs its password.
    made_for_them = found.person is not None and not found.person.has_usable_password()
    has_account = (
        user is None
        and not made_for_them
        and get_user_model().objects.filter(email__iexact=found.email).exists()
    )
    form = (
        AcceptForm(request.POST or None, initial=_name_parts(found.name))
        if user is None and not has_account
        else None
    )
    if request.method == "POST" and (user is not None or (form is not None and form.is_valid())):
        with service_call(request, form=form):
            if user is not None:
                services.invitation_accept(token=token, user=user)
            else:
                user = services.invitation_accept(
                    token=token,
                    first_name=form.cleaned_data["first_name"],
                    last_name=form.cleaned_data["last_name"],
                    password=form.cleaned_data["password1"],
                )
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Välkommen! Du har nu tillgång till Kvalitetsutmärkelsen."))
            return redirect("home")
    return render(
        request,
        "accounts/invitation.html",
        {
            "invitation": found,
            "form": form,
            "has_account": has_account,
            "login_url": f"{reverse('login')}?next={request.path}",
        },
    )


def _name_parts(name: str) -> dict:
    first, _sep, last = name.partition(" ")
    return {"first_name": first, "last_name": last}


@login_not_required
@require_POST
def invitation_renewal(request, token):
    services.invitation_renewal_ask(token=token)
    messages.success(request, _("Stadsledningskontoret har fått din begäran och skickar en ny inbjudan."))
    return redirect("start")


def unit_invitations(request, pk):
    """A unit's contacts and invitations: SLK invites anyone, the unit's head a second contact."""
    unit = get_object_or_404(Unit, pk=pk)
    is_slk = has_role(request.user, Role.SLK)
    if not is_slk:
        # Another unit's page is hidden (404); the unit's other contacts are refused (403).
        if not unit.contacts.filter(pk=request.user.pk).exists():
            raise Http404
        if not submission_queries.is_unit_head(request.user, unit):
            raise PermissionDenied
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with service_call(request, form=form):
            services.invitation_send(
                kind=Invitation.Kind.UNIT_CONTACT,
                email=form.cleaned_data["email"],
                name=form.cleaned_data["name"],
                unit=unit,
                by=request.user,
                base_url=_base_url(request),
            )
            messages.success(
                request, _("Inbjudan är skickad till %(email)s.") % {"email": form.cleaned_data["email"]}
            )
            return redirect("accounts:unit_invitations", pk=unit.pk)
    return render(
        request,
        "accounts/unit_invitations.html",
        {
            "unit": unit,
            "contacts": unit.contacts.order_by("last_name", "first_name"),
            "invitations": unit.invitations.select_related("invited_by").order_by("-created_at"),
            "form": form,
            "is_slk": is_slk,
        },
    )


@role_required(Role.SLK)
def invitations(request):
    """SLK: every pending invitation, and many at once from an XLSX list."""
    form = InvitationImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        with service_call(request, form=form):
            sent = services.invitations_import(
                rows=form.cleaned_data["file"], by=request.user, base_url=_base_url(request)
            )
            messages.success(request, _("%(count)s inbjudningar är skickade.") % {"count": len(sent)})
            return redirect("accounts:invitations")
    pending = Invitation.objects.pending().select_related("unit", "invited_by").order_by("expires_at")
    return render(request, "accounts/invitations.html", {"form": form, "pending": pending})


@role_required(Role.SLK)
@require_POST
def invitation_revoke(request, pk):
    found = get_object_or_404(Invitation, pk=pk)
    with service_call(request, success=_("Inbjudan är återkallad.")):
        services.invitation_revoke(invitation=found, by=request.user)
    return redirect(_next(request, "accounts:invitations"))


# --- the second factor -------------------------------------------------------------------


def two_factor_setup(request):
    """Turn on two-factor: scan the code, confirm one code, note the recovery codes. With a
    device already, the page says so and offers new recovery codes (or, where optional,
    turning it off)."""
    user = request.user
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        if twofactor.needs_second_factor(request):
            return redirect(f"{reverse('accounts:two_factor_verify')}?{request.GET.urlencode()}")
        codes = None
        if request.method == "POST":
            with service_call(request):
                if request.POST.get("action") == "disable":
                    services.two_factor_disable(person=user, by=user)
                    messages.success(request, _("Tvåstegsverifieringen är avstängd."))
                    return redirect("accounts:two_factor_setup")
                codes = services.recovery_codes_renew(user=user)
        return render(
            request,
            "accounts/two_factor_status.html",
            {"codes": codes, "required": twofactor.second_factor_required(user)},
        )
    key = request.session.get(TOTP_KEY_SESSION) or twofactor.new_totp_key()
    request.session[TOTP_KEY_SESSION] = key
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with service_call(request, form=form):
            codes = services.two_factor_enable(user=user, key=key, code=form.cleaned_data["code"])
            del request.session[TOTP_KEY_SESSION]
            twofactor.mark_verified(request, "totp")
            return render(request, "accounts/two_factor_codes.html", {"codes": codes, "next": _next(request)})
    config_url = TOTPDevice(user=user, key=key).config_url
    qr = segno.make(config_url, error="m")
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr": qr.svg_data_uri(scale=5, border=2),
            "secret": TOTPDevice(key=key).bin_key and _b32(key),
            "required": twofactor.second_factor_required(user),
            "next": request.GET.get("next", ""),
        },
    )


def _b32(key: str) -> str:
    from base64 import b32encode
    from binascii import unhexlify

    text = b32encode(unhexlify(key)).decode()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def two_factor_verify(request):
    if not twofactor.has_device(request.user):
        return redirect("accounts:two_factor_setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        how = services.two_factor_verify(user=request.user, code=form.cleaned_data["code"])
        if how:
            twofactor.mark_verified(request, how)
            if how == "recovery":
                messages.warning(request, _("Du loggade in med en reservkod. Den kan inte användas igen."))
            return redirect(_next(request))
        form.add_error(
            "code", _("Koden stämmer inte. Försök igen; efter flera fel får du vänta allt längre.")
        )
    return render(
        request, "accounts/two_factor_verify.html", {"form": form, "next": request.GET.get("next", "")}
    )


@role_required(Role.SLK)
@require_POST
def person_deactivate(request, pk):
    """SLK turns a person's account off (their open sessions end now) or on again."""
    person = get_object_or_404(get_user_model(), pk=pk)
    reason = request.POST.get("reason", "")
    with service_call(request):
        if request.POST.get("action") == "reactivate":
            services.person_reactivate(person=person, by=request.user, reason=reason)
            messages.success(request, _("Kontot är aktiverat igen."))
        else:
            services.person_deactivate(person=person, by=request.user, reason=reason)
            messages.success(request, _("Kontot är avstängt; personen är utloggad."))
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("award:person_detail", pk=person.pk)


# --- examiner volunteers without an account ------------------------------------------------


@login_not_required
def volunteer(request):
    """/examinator/intresseanmalan/: a logged-in person volunteers as before (the examiners
    app's form); someone without an account fills in the public form and confirms their
    address by the e-mailed link."""
    if request.user.is_authenticated:
        return examiner_views.volunteer(request)
    cycle = AwardCycle.objects.current()
    if cycle is None:
        raise Http404
    form = VolunteerRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with service_call(request, form=form):
            data = form.cleaned_data
            sent = services.volunteer_request_submit(
                cycle=cycle,
                name=data["name"],
                email=data["email"],
                organisation=data["organisation"],
                workplace=data["workplace"],
                manager_name=data["manager_name"],
                client=get_client_ip_address(request) or "",
                base_url=_base_url(request),
            )
            if not sent:
                return render(
                    request,
                    "accounts/volunteer_request.html",
                    {"form": form, "cycle": cycle, "throttled": True},
                    status=429,
                )
            return render(request, "accounts/volunteer_request_sent.html", {"email": data["email"]})
    return render(request, "accounts/volunteer_request.html", {"form": form, "cycle": cycle})


@login_not_required
def volunteer_confirm(request, token):
    """The confirmation link: the request now waits for SLK in the pool."""
    confirmed = None
    with service_call(request):
        confirmed = services.volunteer_request_confirm(token=token)
    return render(
        request,
        "accounts/volunteer_confirmed.html",
        {"confirmed": confirmed},
        status=200 if confirmed else 404,
    )


@role_required(Role.SLK)
def volunteer_requests(request):
    """SLK: the confirmed volunteers without an account, from the pool page; accept (an
    account, a place in the pool, an invitation) or decline with a reason."""
    waiting = VolunteerRequest.objects.waiting().select_related("organisation", "cycle")
    decided = (
        VolunteerRequest.objects.exclude(decided_at=None)
        .select_related("organisation", "decided_by")
        .order_by("-decided_at")[:20]
    )
    return render(request, "accounts/volunteer_requests.html", {"waiting": waiting, "decided": decided})


@role_required(Role.SLK)
@require_POST
def volunteer_request_decide(request, pk):
    found = get_object_or_404(VolunteerRequest, pk=pk)
    with service_call(request):
        if request.POST.get("decision") == "accept":
            services.volunteer_request_accept(
                volunteer_request=found, by=request.user, base_url=_base_url(request)
            )
            messages.success(
                request,
                _("%(name)s är antagen; kontot är skapat och inbjudan skickad till %(email)s.")
                % {"name": found.name, "email": found.email},
            )
        else:
            services.volunteer_request_decline(
                volunteer_request=found, by=request.user, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("Intresseanmälan från %(name)s är avslagen.") % {"name": found.name})
    return redirect("examiners:volunteer_requests")


# --- single sign-on without an account -----------------------------------------------------

#: Set by config.oidc when the identity provider vouched for an address with no account here.
SSO_NO_ACCOUNT_SESSION = "award_sso_no_account"


@login_not_required
def role_request(request):
    """Where single sign-on sends a city employee without an account: they have no role
    yet, and may ask SLK for one. Only the address the provider vouched for, kept in the
    session by config.oidc, can ask; anyone else is sent to the login page."""
    email = request.session.get(SSO_NO_ACCOUNT_SESSION)
    if request.user.is_authenticated:
        return redirect("home")
    if not email:
        return redirect("login")
    waiting = RoleRequest.objects.open().filter(email__iexact=email).first()
    form = None if waiting else RoleRequestForm(request.POST or None)
    if form is not None and request.method == "POST" and form.is_valid():
        with service_call(request, form=form):
            services.role_request_submit(
                email=email,
                name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
                unit=form.cleaned_data["unit"],
                message=form.cleaned_data["message"],
            )
            messages.success(request, _("Din begäran är skickad till stadsledningskontoret."))
            return redirect("accounts:role_request")
    return render(request, "accounts/role_request.html", {"email": email, "form": form, "waiting": waiting})


@role_required(Role.SLK)
@require_POST
def role_request_decide(request, pk):
    """SLK approves (an account and the role asked for) or declines a request from the people page."""
    found = get_object_or_404(RoleRequest, pk=pk)
    reason = request.POST.get("reason", "")
    with service_call(request):
        if request.POST.get("decision") == "approve":
            services.role_request_approve(role_request=found, by=request.user, reason=reason)
            messages.success(
                request,
                _("%(name)s har fått ett konto och rollen %(role)s.")
                % {"name": found.name, "role": found.get_kind_display()},
            )
        else:
            services.role_request_decline(role_request=found, by=request.user, reason=reason)
            messages.success(request, _("Begäran från %(name)s är avslagen.") % {"name": found.name})
    return redirect("award:person_search")
