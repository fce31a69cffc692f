"""Forms of the office pages: logging a call, coding an absence, recording a report."""

from __future__ import annotations

from django import forms

from rollbook.absences.models import AbsenceReason, ReportChannel
from rollbook.policy.calendar import Session

from .models import CallOutcome

OTHER_CONTACT = "other"
SESSION_FIELD_CHOICES = [(s.value, s.value) for s in Session]
# The office records what reached it by phone, e-mail or in person; parents report online themselves.
OFFICE_CHANNELS = [(value, label) for value, label in ReportChannel.choices if value != ReportChannel.ONLINE]


class CallForm(forms.Form):
    contact = forms.ChoiceField(label="Who was called")
    other_contact = forms.CharField(
        label="Someone else: their name and number", max_length=200, required=False,
        help_text="Only when the person called is not listed.",
    )
    outcome = forms.ChoiceField(label="Outcome", choices=CallOutcome.choices)
    note = forms.CharField(label="Note", max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, contacts, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(c.pk), f"{c.name} ({c.relationship or 'contact'}), {c.phone or 'no number'}") for c in contacts]
        self.fields["contact"].choices = [*choices, (OTHER_CONTACT, "Someone else")]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("contact") == OTHER_CONTACT and not cleaned.get("other_contact", "").strip():
            self.add_error("other_contact", "Name the person called, or choose a listed contact.")
        return cleaned


class CodeForm(forms.Form):
    code = forms.ChoiceField(label="Code for the reason given")
    reason = forms.CharField(
        label="Reason for the change", max_length=1000, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Who gave the reason, how and when, such as: Mother phoned at 09:40, sickness bug.",
    )
    loaded = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, codes: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = [("", "Choose a code")] + [(code, f"{code}: {meaning}") for code, meaning in codes]


class ReportForm(forms.Form):
    reason = forms.ChoiceField(label="Reason", choices=AbsenceReason.choices)
    start_date = forms.DateField(label="First day", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    start_session = forms.ChoiceField(label="From session", choices=SESSION_FIELD_CHOICES, initial=Session.AM.value)
    end_date = forms.DateField(label="Last day expected away", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    end_session = forms.ChoiceField(label="To session", choices=SESSION_FIELD_CHOICES, initial=Session.PM.value)
    channel = forms.ChoiceField(label="Received by", choices=OFFICE_CHANNELS)
    reported_by = forms.CharField(label="Reported by", max_length=200, help_text="Such as: Mother, Tomasz Ferreira.")
    message = forms.CharField(label="Message", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))
