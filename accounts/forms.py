"""Forms of the accounts pages. They validate; the services change things."""

import io

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from award import upload_guards
from award.models import Unit


class PasswordResetForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-postadress"), max_length=254)


class InvitationForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Namn"), max_length=200)
    email = forms.EmailField(label=gettext_lazy("E-postadress"), max_length=254)


class AcceptForm(forms.Form):
    """A new account from an invitation: name and a password of the platform's rules."""

    first_name = forms.CharField(label=gettext_lazy("Förnamn"), max_length=150)
    last_name = forms.CharField(label=gettext_lazy("Efternamn"), max_length=150)
    password1 = forms.CharField(label=gettext_lazy("Välj lösenord"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(
        label=gettext_lazy("Upprepa lösenordet"), widget=forms.PasswordInput, strip=False
    )

    def clean(self):
        data = super().clean()
        one, two = data.get("password1"), data.get("password2")
        if one and two and one != two:
            raise ValidationError(_("Lösenorden är inte lika."))
        if one:
            password_validation.validate_password(one)
        return data


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Kod"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Skäl"), max_length=500)


HEADER = ("enhetskod", "namn", "e-post")


def _cell(value) -> str:
    return "" if value is None else str(value).strip()


class InvitationImportForm(forms.Form):
    """An XLSX list of unit code, name and e-mail, one person a row after a header row.
    Every row is checked before anything is sent: one bad row refuses the whole file,
    naming each bad row and why."""

    file = forms.FileField(label=gettext_lazy("Excel-fil (.xlsx)"))

    def clean_file(self):
        data = self.cleaned_data["file"].read()
        try:
            upload_guards.check_xlsx_archive(data)
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
            raw = [[_cell(v) for v in row[:3]] for row in sheet.iter_rows(values_only=True)]
        except upload_guards.ImportRefused as refused:
            raise ValidationError(str(refused)) from None
        except Exception:  # noqa: BLE001 - any unreadable workbook gets the same answer
            raise ValidationError(upload_guards.not_xlsx_message()) from None
        raw = [row + [""] * (3 - len(row)) for row in raw if any(row)]
        if not raw or tuple(c.casefold() for c in raw[0]) != HEADER:
            raise ValidationError(
                _("Första raden ska vara rubrikerna %(header)s.") % {"header": ", ".join(HEADER)}
            )
        if len(raw) == 1:
            raise ValidationError(_("Filen har inga rader under rubrikerna."))
        if len(raw) > upload_guards.max_rows():
            raise upload_guards.too_many_rows(upload_guards.max_rows())
        units = Unit.objects.in_bulk([row[0] for row in raw[1:]], field_name="code")
        errors, rows, seen = [], [], {}
        for number, (code, name, email) in enumerate(raw[1:], start=2):
            unit = units.get(code)
            if unit is None:
                errors.append(
                    _("Rad %(row)s: det finns ingen enhet med koden ”%(code)s”.")
                    % {"row": number, "code": code}
                )
            if not name:
                errors.append(_("Rad %(row)s: namnet saknas.") % {"row": number})
            try:
                validate_email(email)
            except ValidationError:
                errors.append(
                    _("Rad %(row)s: ”%(email)s” är ingen giltig e-postadress.")
                    % {"row": number, "email": email}
                )
            key = (code, email.casefold())
            if key in seen:
                errors.append(
                    _("Rad %(row)s: samma enhet och e-postadress som rad %(first)s.")
                    % {"row": number, "first": seen[key]}
                )
            seen.setdefault(key, number)
            rows.append((number, (unit, name, email)))
        if errors:
            raise ValidationError(errors)
        return rows


# --- SLK's people page -------------------------------------------------------------------


def _role_choices():
    from award.roles import Role

    return [("", gettext_lazy("Alla roller")), *Role.choices, ("none", gettext_lazy("Ingen roll"))]


class PeopleFilterForm(forms.Form):
    """The people page's search, filters and sort order (GET). A bad value is ignored."""

    q = forms.CharField(
        label=gettext_lazy("Sök namn, användarnamn eller e-post"), required=False, max_length=200
    )
    role = forms.ChoiceField(label=gettext_lazy("Roll"), required=False, choices=())
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Enhet"),
        required=False,
        queryset=Unit.objects.order_by("name"),
        empty_label=gettext_lazy("Alla enheter"),
    )
    active = forms.ChoiceField(
        label=gettext_lazy("Konto"),
        required=False,
        choices=[
            ("", gettext_lazy("Aktiva och avstängda")),
            ("yes", gettext_lazy("Aktiva")),
            ("no", gettext_lazy("Avstängda")),
        ],
    )
    two_factor = forms.ChoiceField(
        label=gettext_lazy("Tvåstegsverifiering"),
        required=False,
        choices=[("", gettext_lazy("Med och utan")), ("on", gettext_lazy("På")), ("off", gettext_lazy("Av"))],
    )
    sort = forms.ChoiceField(
        label=gettext_lazy("Sortera"),
        required=False,
        choices=[
            ("namn", gettext_lazy("Namn A–Ö")),
            ("-namn", gettext_lazy("Namn Ö–A")),
            ("epost", gettext_lazy("E-post")),
            ("-inloggad", gettext_lazy("Senast inloggad först")),
            ("inloggad", gettext_lazy("Längst sedan inloggning först")),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = _role_choices()

    def filter(self):
        from accounts.queries import PeopleFilter

        if not self.is_valid():
            return PeopleFilter()
        data = self.cleaned_data
        return PeopleFilter(
            q=data["q"].strip(),
            role=data["role"],
            unit=data["unit"].pk if data["unit"] else None,
            active=data["active"],
            two_factor=data["two_factor"],
            sort=data["sort"] or "namn",
        )


class RoleChangeForm(forms.Form):
    role = forms.ChoiceField(label=gettext_lazy("Roll"), choices=())
    reason = forms.CharField(label=gettext_lazy("Skäl"), max_length=500)

    def __init__(self, *args, **kwargs):
        from accounts.services import DIRECT_ROLES

        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [
            ("", gettext_lazy("Välj roll")),
            *((r.value, r.label) for r in DIRECT_ROLES),
        ]


class UnitContactForm(forms.Form):
    unit = forms.ModelChoiceField(label=gettext_lazy("Enhet"), queryset=Unit.objects.order_by("name"))
    reason = forms.CharField(label=gettext_lazy("Skäl"), max_length=500)


class CommitteeSeatForm(forms.Form):
    cycle = forms.ModelChoiceField(label=gettext_lazy("Omgång"), queryset=None)
    is_chair = forms.BooleanField(label=gettext_lazy("Ordförande"), required=False)
    reason = forms.CharField(label=gettext_lazy("Skäl"), max_length=500)

    def __init__(self, *args, **kwargs):
        from award.models import AwardCycle

        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = AwardCycle.objects.order_by("-year")


# --- examiner volunteers without an account ------------------------------------------------


class VolunteerRequestForm(forms.Form):
    """The public volunteer form, for someone without an account."""

    name = forms.CharField(label=gettext_lazy("Namn"), max_length=200)
    email = forms.EmailField(
        label=gettext_lazy("E-postadress i staden"),
        max_length=254,
        help_text=gettext_lazy("Du får ett e-postmeddelande med en länk som bekräftar adressen."),
    )
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Din förvaltning eller ditt bolag"), queryset=None
    )
    workplace = forms.CharField(label=gettext_lazy("Din arbetsplats"), max_length=200)
    manager_name = forms.CharField(
        label=gettext_lazy("Din chef"),
        max_length=200,
        help_text=gettext_lazy("Chefen behöver godkänna att du avsätter tid i år."),
    )

    def __init__(self, *args, **kwargs):
        from award.models import Organisation

        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")

    def clean_email(self):
        from django.conf import settings

        from accounts.queries import email_domain_allowed

        email = self.cleaned_data["email"].strip()
        if not email_domain_allowed(email):
            raise ValidationError(
                _("Använd din e-postadress i staden (%(domains)s).")
                % {"domains": ", ".join(settings.VOLUNTEER_EMAIL_DOMAINS)}
            )
        return email


class RoleRequestForm(forms.Form):
    """What someone signed in with the city's account, but without an account here, asks for."""

    name = forms.CharField(label=gettext_lazy("Ditt namn"), max_length=200)
    kind = forms.ChoiceField(label=gettext_lazy("Vad vill du göra?"), choices=(), widget=forms.RadioSelect)
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Enhet"),
        queryset=Unit.objects.order_by("name"),
        required=False,
        help_text=gettext_lazy("Den enhet du vill vara kontaktperson för."),
    )
    message = forms.CharField(
        label=gettext_lazy("Meddelande till stadsledningskontoret"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=1000,
    )

    def __init__(self, *args, **kwargs):
        from accounts.models import RoleRequest

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = RoleRequest.Kind.choices

    def clean(self):
        from accounts.models import RoleRequest

        data = super().clean()
        if data.get("kind") == RoleRequest.Kind.UNIT_CONTACT and not data.get("unit"):
            self.add_error("unit", _("Välj vilken enhet du vill vara kontaktperson för."))
        return data
