"""Forms validate the shape of what was typed; services.py validates the domain."""

import datetime as dt

from crispy_forms_gds.layout import HTML, Field, Fieldset
from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from hub.datefields import GDSDateField
from hub.forms import GDSTimeInput, StaffChoiceField, gds_helper
from hub.models import NeedPathway, Organisation
from hub.roles import Role
from referrals.models import PathwayOutcome, ProgressReport, SupportSession


def caseworkers_of(organisation_id: int):
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            profile__organisation_id=organisation_id,
            groups__name=Role.CASEWORKER,
        )
        .select_related("profile")
        .order_by("first_name", "last_name", "username")
        .distinct()
    )


class CaseworkerChoiceField(StaffChoiceField):
    pass


class AcceptForm(forms.Form):
    assignee = CaseworkerChoiceField(
        queryset=get_user_model().objects.none(),
        label="Caseworker",
        help_text="The caseworker who will work with the person",
        empty_label=None,
    )

    def __init__(self, *args, organisation_id: int, submit: str = "Accept referral", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = caseworkers_of(organisation_id)
        self.helper = gds_helper("assignee", submit=submit)


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label="Why are you returning this referral?",
        help_text="The officer in charge of the case will see this",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper("reason", submit="Return referral")


class SessionForm(forms.Form):
    session_date = GDSDateField(label="Date")
    session_time = forms.TimeField(label="Time", widget=GDSTimeInput())
    kind = forms.ChoiceField(
        label="Kind of session", choices=SupportSession.Kind.choices, widget=forms.RadioSelect
    )
    attendance = forms.ChoiceField(
        choices=SupportSession.Attendance.choices, widget=forms.RadioSelect
    )
    absence_reason_accepted = forms.BooleanField(
        required=False,
        label="The person gave a reason for missing it that you accept",
        help_text="Only for sessions the person did not attend",
    )
    duration_minutes = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=600,
        label="Duration in minutes",
        help_text="Leave empty if the person did not attend",
    )
    pathways = forms.ModelMultipleChoiceField(
        queryset=NeedPathway.objects.none(),
        required=False,
        label="Pathways worked on",
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Seen only by your organisation. Not shared with the police.",
        max_length=10000,
    )
    next_steps = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )

    def __init__(self, *args, with_reason: bool = False, submit: str = "Save session", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pathways"].queryset = NeedPathway.objects.filter(active=True)
        fields = [
            Fieldset(Field("session_date"), Field("session_time"), legend="When was the session?"),
            Field.radios("kind"),
            Field.radios("attendance"),
            Field.checkbox("absence_reason_accepted"),
            Field.text("duration_minutes", field_width=5),
            Field.checkboxes("pathways"),
            "notes",
            "next_steps",
        ]
        if with_reason:
            self.fields["correction_reason"] = forms.CharField(
                label="What was wrong with the original entry?",
                widget=forms.Textarea(attrs={"rows": 3}),
                max_length=2000,
            )
            fields.insert(0, "correction_reason")
        self.helper = gds_helper(*fields, submit=submit)

    @classmethod
    def initial_from(cls, session: SupportSession) -> dict:
        local = timezone.localtime(session.occurred_at)
        return {
            "session_date": local.date(),
            "session_time": local.time().replace(second=0, microsecond=0),
            "kind": session.kind,
            "attendance": session.attendance,
            "absence_reason_accepted": session.absence_reason_accepted,
            "duration_minutes": session.duration_minutes,
            "pathways": list(session.pathways.all()),
            "notes": session.notes,
            "next_steps": session.next_steps,
        }

    def clean(self):
        data = super().clean()
        date, time = data.get("session_date"), data.get("session_time")
        if date and time:
            data["occurred_at"] = timezone.make_aware(dt.datetime.combine(date, time))
            if data["occurred_at"] > timezone.now():
                self.add_error("session_date", "The session date and time must be in the past")
        attendance = data.get("attendance")
        if attendance in SupportSession.PRESENT and not data.get("duration_minutes"):
            self.add_error("duration_minutes", "Enter how long the session lasted")
        if attendance and attendance not in SupportSession.PRESENT:
            data["duration_minutes"] = None
        if data.get("absence_reason_accepted") and attendance != "did_not_attend":
            self.add_error(
                "absence_reason_accepted",
                "Only tick this for a session the person did not attend",
            )
        return data


class ProgressReportForm(forms.Form):
    kind = forms.ChoiceField(
        label="What are you reporting?",
        choices=ProgressReport.Kind.choices,
        widget=forms.RadioSelect,
    )
    condition = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Condition",
        help_text="Needed when reporting compliance",
    )
    complied_on = GDSDateField(required=False, label="Date complied")
    details = forms.CharField(
        label="Evidence or details",
        help_text=(
            "For compliance: what shows the condition was met (for example, sessions attended). "
            "For not engaging: what has happened. For engaging and progressing: a short "
            "summary. The officer in charge will read this."
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
    )

    def __init__(self, *args, conditions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["condition"].queryset = conditions
        self.fields["condition"].label_from_instance = lambda c: (
            f"{c.condition_type}: due {c.due_date:%d/%m/%Y}"
        )
        self.helper = gds_helper(
            Field.radios("kind"), "condition", "complied_on", "details", submit="Send report"
        )

    def clean(self):
        data = super().clean()
        if data.get("kind") == ProgressReport.Kind.COMPLIED:
            if not data.get("condition"):
                self.add_error("condition", "Choose the condition the person has complied with")
            if not data.get("complied_on"):
                self.add_error("complied_on", "Enter the date the person complied")
            elif data["complied_on"] > timezone.localdate():
                self.add_error("complied_on", "The date complied must be today or in the past")
        return data


class CloseForm(forms.Form):
    closing_note = forms.CharField(
        label="Closing note",
        help_text="A summary of the support given. The officer in charge will read this.",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
    )

    def __init__(self, *args, pathways, **kwargs):
        super().__init__(*args, **kwargs)
        self.pathways = list(pathways)
        layout = []
        for pathway in self.pathways:
            name = f"outcome_{pathway.pk}"
            self.fields[name] = forms.ChoiceField(
                label=f"Outcome: {pathway.label}",
                choices=PathwayOutcome.Outcome.choices,
                widget=forms.RadioSelect,
            )
            layout.append(Field.radios(name, inline=True))
        if not self.pathways:
            layout.append(
                HTML(
                    '<p class="govuk-body">No pathways were worked on in the sessions recorded, '
                    "so there are no outcomes to give.</p>"
                )
            )
        self.helper = gds_helper(*layout, "closing_note", submit="Close referral")

    def outcomes(self) -> dict[int, str]:
        return {p.pk: self.cleaned_data[f"outcome_{p.pk}"] for p in self.pathways}


class ManualReferralForm(forms.Form):
    provider = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label="Support provider"
    )
    pathways = forms.ModelMultipleChoiceField(
        queryset=NeedPathway.objects.none(),
        label="Pathways the provider should work on",
        widget=forms.CheckboxSelectMultiple,
    )
    due_date = GDSDateField(
        required=False,
        help_text="Leave empty to use the caution's compliance deadline",
    )
    reason = forms.CharField(
        label="Why are you referring the person?",
        help_text="The provider will see this",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = Organisation.objects.filter(
            kind=Organisation.Kind.SUPPORT_PROVIDER, active=True
        )
        self.fields["pathways"].queryset = NeedPathway.objects.filter(active=True)
        self.helper = gds_helper(
            "provider", Field.checkboxes("pathways"), "due_date", "reason", submit="Make referral"
        )

    def clean_due_date(self):
        due = self.cleaned_data.get("due_date")
        if due and due < timezone.localdate():
            raise forms.ValidationError("The due date must be today or in the future")
        return due
