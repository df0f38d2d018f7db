from django import forms

from inclusion.organizations import invitations
from inclusion.organizations.models import MAX_PENDING_INVITATIONS
from inclusion.users.enums import Title, UserKind
from inclusion.users.forms import EMAIL_ERRORS, NewPasswordForm
from inclusion.users.models import User
from inclusion.utils.forms import DsfrFormMixin


class InvitationForm(DsfrFormMixin, forms.Form):
    """One person to invite; the rules on the address are in invitations.invitee_email_error."""

    email = forms.EmailField(
        label="Adresse e-mail",
        max_length=254,
        error_messages=EMAIL_ERRORS,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization

    def clean_email(self):
        email = invitations.normalize_email(self.cleaned_data["email"])
        error = invitations.invitee_email_error(self.organization, email)
        if error:
            raise forms.ValidationError(error)
        return email

    def invitee(self):
        return invitations.Invitee(**self.cleaned_data)


class BaseInvitationFormSet(forms.BaseFormSet):
    """Several people at once (organizations.md §7). Empty rows are ignored; at least one row is required."""

    default_error_messages = {
        "too_few_forms": "Renseignez au moins une personne à inviter.",
        "too_many_forms": f"Vous pouvez inviter au plus {MAX_PENDING_INVITATIONS} personnes à la fois.",
    }

    def __init__(self, *args, organization, prefill=(), **kwargs):
        self.organization = organization
        # Rows typed before "Ajouter une personne" was pressed, shown again (with one empty row) without validation.
        self.prefill = list(prefill)
        super().__init__(*args, **kwargs)
        self.extra = len(self.prefill)  # min_num adds the empty row

    def get_form_kwargs(self, index):
        kwargs = {"organization": self.organization, "empty_permitted": True}
        if index is not None and index < len(self.prefill):
            kwargs["initial"] = self.prefill[index]
        return kwargs

    def filled_forms(self):
        return [form for form in self.forms if form.has_changed()]

    def clean(self):
        if any(self.errors):
            return
        emails = set()
        for form in self.filled_forms():
            email = form.cleaned_data["email"]
            # organizations.md §7: duplicate e-mails in one batch are rejected.
            if email in emails:
                form.add_error("email", "Cette adresse figure plusieurs fois dans la liste.")
            emails.add(email)
        if any(self.errors):
            return
        already_pending = set(invitations.pending_invitations(self.organization).values_list("email", flat=True))
        remaining = invitations.remaining_invitation_slots(self.organization)
        if len(emails - already_pending) > remaining:
            raise forms.ValidationError(
                f"Votre organisation ne peut pas avoir plus de {MAX_PENDING_INVITATIONS} invitations en attente : "
                f"vous pouvez encore inviter {remaining} personne(s)."
            )

    def invitees(self):
        return [form.invitee() for form in self.filled_forms()]


InvitationFormSet = forms.formset_factory(
    InvitationForm,
    formset=BaseInvitationFormSet,
    min_num=1,
    validate_min=True,
    max_num=MAX_PENDING_INVITATIONS,
    validate_max=True,
    absolute_max=MAX_PENDING_INVITATIONS + 1,
)


def prefill_from(data, prefix="form"):
    """The rows typed in a submitted formset, as initial values (raw: they are shown again, not trusted)."""
    try:
        total = min(int(data.get(f"{prefix}-TOTAL_FORMS", 0)), MAX_PENDING_INVITATIONS - 1)
    except ValueError:
        total = 0
    rows = []
    for index in range(max(total, 0)):
        row = {name: data.get(f"{prefix}-{index}-{name}", "")[:254] for name in ("email", "first_name", "last_name")}
        rows.append(row)
    return rows


class MemberAdminForm(forms.Form):
    is_admin = forms.TypedChoiceField(choices=[("1", "oui"), ("0", "non")], coerce=lambda value: value == "1")


class InvitationSignupForm(DsfrFormMixin, NewPasswordForm):
    """A professional account created from an invitation: the e-mail is the invited one and cannot change.

    Password signup for the three organization types: ProConnect is not available on this platform yet
    (organizations.md §7 asks it for employers and prescribers).
    """

    title = forms.ChoiceField(label="Civilité", choices=Title.choices, widget=forms.RadioSelect)
    first_name = forms.CharField(
        label="Prénom", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label="Nom", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )

    def __init__(self, *args, invitation, **kwargs):
        kwargs.setdefault("initial", {"first_name": invitation.first_name, "last_name": invitation.last_name})
        super().__init__(*args, **kwargs)
        self.invitation = invitation

    def account_owner(self, cleaned):
        return User(
            email=self.invitation.email,
            first_name=cleaned.get("first_name", ""),
            last_name=cleaned.get("last_name", ""),
        )

    def save(self):
        data = self.cleaned_data
        return User.objects.create_user(
            email=self.invitation.email,
            password=data["password1"],
            kind=UserKind.PROFESSIONAL,
            title=data["title"],
            first_name=data["first_name"],
            last_name=data["last_name"],
        )
