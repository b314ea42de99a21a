"""Forms for appointments (issue 18): they check the shape of what was typed; the services in
referrals/services/appointments.py check the rules (future time, caseworker of the provider,
attendance only once it has started) and their errors come back at the field."""

import datetime as dt

from crispy_forms_gds.layout import Field, Fieldset
from django import forms
from django.utils import timezone

from hub.datefields import GDSDateField
from hub.forms import TEXT_MAX_LENGTH, GDSTimeInput, gds_helper
from hub.models import NeedPathway
from referrals.forms import CaseworkerChoiceField, caseworkers_of
from referrals.models import APPOINTMENT_MAX_MINUTES, Appointment, AppointmentStatus
from referrals.services.appointments import RescheduleAsker

ATTENDANCE_CHOICES = [
    (AppointmentStatus.ATTENDED, "Attended"),
    (AppointmentStatus.LATE, "Attended late"),
    (AppointmentStatus.DID_NOT_ATTEND, "Did not attend"),
]


class AppointmentForm(forms.Form):
    """Book (or, with `reschedule=True`, move) an appointment."""

    appointment_date = GDSDateField(label="Date")
    appointment_time = forms.TimeField(label="Start time", widget=GDSTimeInput())
    duration_minutes = forms.IntegerField(
        min_value=1,
        max_value=APPOINTMENT_MAX_MINUTES,
        label="Length in minutes",
        initial=60,
    )
    mode = forms.ChoiceField(
        label="How will you meet?", choices=Appointment.Mode.choices, widget=forms.RadioSelect
    )
    place = forms.CharField(
        required=False,
        label="Place, phone number or video link",
        help_text="The address for an appointment in person. The person's reminder shows it.",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=500,
    )
    with_whom = CaseworkerChoiceField(
        queryset=None, required=False, label="With whom", empty_label="Not decided yet"
    )
    pathway = forms.ModelChoiceField(
        queryset=None, required=False, label="Pathway it serves", empty_label="None"
    )
    condition = forms.ModelChoiceField(
        queryset=None, required=False, label="Condition it serves", empty_label="None"
    )

    def __init__(self, *args, referral, conditions, reschedule: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["with_whom"].queryset = caseworkers_of(referral.provider_id)
        self.fields["pathway"].queryset = NeedPathway.objects.filter(active=True)
        self.fields["condition"].queryset = conditions
        self.fields["condition"].label_from_instance = lambda c: (
            f"{c.condition_type}: due {c.due_date:%-d %B %Y}"
        )
        layout = [
            Fieldset(
                Field("appointment_date"),
                Field("appointment_time"),
                legend="When is the appointment?",
            ),
            Field.text("duration_minutes", field_width=5),
            Field.radios("mode"),
            "place",
            "with_whom",
            "pathway",
        ]
        if reschedule:
            del self.fields["condition"]
            self.fields["asked_by"] = forms.ChoiceField(
                label="Who asked for the change?",
                choices=RescheduleAsker.CHOICES,
                widget=forms.RadioSelect,
            )
            self.fields["reason"] = forms.CharField(
                label="Why is it changing?",
                widget=forms.Textarea(attrs={"rows": 3}),
                max_length=2000,
            )
            layout += [Field.radios("asked_by"), "reason"]
            submit = "Save new time"
        else:
            layout.append("condition")
            submit = "Book appointment"
        self.helper = gds_helper(*layout, submit=submit)

    @classmethod
    def initial_from(cls, appointment: Appointment) -> dict:
        local = timezone.localtime(appointment.starts_at)
        return {
            "appointment_date": local.date(),
            "appointment_time": local.time().replace(second=0, microsecond=0),
            "duration_minutes": appointment.duration_minutes,
            "mode": appointment.mode,
            "place": appointment.place,
            "with_whom": appointment.with_whom_id,
            "pathway": appointment.pathway_id,
        }

    def clean(self):
        data = super().clean()
        date, time = data.get("appointment_date"), data.get("appointment_time")
        if date and time:
            data["starts_at"] = timezone.make_aware(dt.datetime.combine(date, time))
        return data

    def details(self) -> dict:
        data = self.cleaned_data
        return {
            name: data.get(name)
            for name in ("starts_at", "duration_minutes", "mode", "place", "with_whom", "pathway")
        }


class CancelAppointmentForm(forms.Form):
    cancel_reason = forms.CharField(
        label="Why is the appointment cancelled?",
        help_text="The officer in charge of the case can read this",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper("cancel_reason", submit="Cancel appointment")


class AttendanceForm(forms.Form):
    status = forms.ChoiceField(
        label="Did the person attend?", choices=ATTENDANCE_CHOICES, widget=forms.RadioSelect
    )
    duration_minutes = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=600,
        label="How long did the session last, in minutes?",
        help_text="Leave empty if the person did not attend",
    )
    absence_reason = forms.CharField(
        required=False,
        label="Reason the person gave for missing it",
        help_text="Write 'None given' if they gave no reason",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
    absence_reason_accepted = forms.BooleanField(
        required=False, label="You accept the reason as acceptable"
    )
    notes = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Seen only by your organisation. Not shared with the police.",
        max_length=10000,
    )
    next_steps = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=TEXT_MAX_LENGTH
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.radios("status"),
            Field.text("duration_minutes", field_width=5),
            "absence_reason",
            Field.checkbox("absence_reason_accepted"),
            "notes",
            "next_steps",
            submit="Save attendance",
        )

    def clean(self):
        data = super().clean()
        missed = data.get("status") == AppointmentStatus.DID_NOT_ATTEND
        if data.get("status") and not missed:
            if not data.get("duration_minutes"):
                self.add_error("duration_minutes", "Enter how long the session lasted")
            if data.get("absence_reason") or data.get("absence_reason_accepted"):
                self.add_error("absence_reason", "Only for an appointment the person missed")
        if missed:
            if data.get("duration_minutes"):
                self.add_error(
                    "duration_minutes", "Leave the length empty: the person did not attend"
                )
            if not data.get("absence_reason"):
                self.add_error(
                    "absence_reason", "Enter the reason the person gave, or 'None given'"
                )
        return data
