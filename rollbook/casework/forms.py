"""Forms for casework pages: each validates at the edge and hands the services dates and enums."""

from __future__ import annotations

from django import forms

from rollbook.letters.kinds import FieldType, kind_spec
from rollbook.letters.models import DeliveryMethod
from rollbook.policy.incidents import FOLLOW_UPS, IncidentKind

from .models import Decision, EntryKind, MeetingKind
from .models_incidents import KIND_CHOICES

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]

# The kinds staff add by hand; stage, incident and decision entries come from their own pages.
LOGGED_BY_HAND = (
    EntryKind.CALL,
    EntryKind.EMAIL,
    EntryKind.LETTER,
    EntryKind.MEETING,
    EntryKind.HOME_VISIT,
    EntryKind.NOTE,
    EntryKind.EARLY_HELP,
    EntryKind.LA_INCLUSION_MEETING,
    EntryKind.ATTENDANCE_CONTRACT,
    EntryKind.SUPERVISION_ORDER,
    EntryKind.SOCIAL_CARE_REFERRAL,
    EntryKind.PROSECUTION,
)


class CaseworkForm(forms.Form):
    """A form whose fields point screen readers at their hints and, once validated, their errors."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"id_{name}-hint"

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name not in self.fields:
                continue
            attrs = self.fields[name].widget.attrs
            attrs["aria-invalid"] = "true"
            attrs["aria-describedby"] = " ".join(filter(None, [attrs.get("aria-describedby", ""), f"id_{name}-error"]))


class DecisionForm(CaseworkForm):
    pupil = forms.IntegerField(widget=forms.HiddenInput)
    key = forms.CharField(widget=forms.HiddenInput, max_length=40)
    since = forms.DateField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(choices=Decision.choices, label="Decision")
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, label="Reason",
                             help_text="Needed to defer, dismiss or reopen.")
    deferred_until = forms.DateField(widget=DATE, required=False, label="Deferred until",
                                     help_text="Only for a deferral: the action is due again after this date.")


class LogEntryForm(CaseworkForm):
    kind = forms.ChoiceField(choices=[(kind.value, kind.label) for kind in LOGGED_BY_HAND], label="What happened")
    at = forms.DateTimeField(widget=DATETIME, input_formats=DATETIME_FORMATS, label="When",
                             help_text="The date and time of the call, letter, meeting or decision.")
    summary = forms.CharField(max_length=300, label="Summary", help_text="One line: what was sent, said or decided.")
    details = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False, label="Details")


class CloseCaseForm(CaseworkForm):
    reason = forms.CharField(max_length=300, label="Reason for closing",
                             help_text="Why the case ends without an improvement review, such as the pupil leaving.")


class PlanForm(CaseworkForm):
    title = forms.CharField(max_length=200, label="Title")
    actions = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label="Agreed actions",
                              help_text="What the school, the family and others agreed to do.")
    agreed_on = forms.DateField(widget=DATE, label="Agreed on")
    review_on = forms.DateField(widget=DATE, label="Review by")

    def clean(self):
        cleaned = super().clean()
        agreed, review = cleaned.get("agreed_on"), cleaned.get("review_on")
        if agreed and review and review < agreed:
            self.add_error("review_on", "Enter a review date on or after the date the plan was agreed.")
        return cleaned


class PlanReviewForm(CaseworkForm):
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label="What the review found")
    next_review_on = forms.DateField(widget=DATE, required=False, label="Next review by",
                                     help_text="Leave empty to end the plan.")


class MeetingForm(CaseworkForm):
    kind = forms.ChoiceField(choices=MeetingKind.choices, label="Meeting")
    scheduled_for = forms.DateTimeField(widget=DATETIME, input_formats=DATETIME_FORMATS, label="Date and time")


class MeetingRecordForm(CaseworkForm):
    held_at = forms.DateTimeField(widget=DATETIME, input_formats=DATETIME_FORMATS, label="Held at")
    attendees = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Attendees",
                                help_text="One a line, with their role, such as \"Mrs Ada Quill, mother\".")
    outcome = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label="Outcome", help_text="What was agreed.")


class EvidenceForm(CaseworkForm):
    covers_from = forms.DateField(widget=DATE, label="Covers absence from")
    covers_to = forms.DateField(widget=DATE, label="Covers absence to", help_text="Inclusive.")
    description = forms.CharField(max_length=300, label="What was received", help_text="Such as a GP letter or appointment card.")
    received_on = forms.DateField(widget=DATE, label="Received on")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("covers_from"), cleaned.get("covers_to")
        if start and end and end < start:
            self.add_error("covers_to", "Enter an end date on or after the start date.")
        return cleaned


class IncidentForm(CaseworkForm):
    kind = forms.ChoiceField(choices=KIND_CHOICES, label="Kind of incident")
    circumstances = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Circumstances",
                                    help_text="When and where the pupil was last seen, and by whom.")


class IncidentStepForm(CaseworkForm):
    at = forms.DateTimeField(widget=DATETIME, input_formats=DATETIME_FORMATS, label="When")
    follow_up = forms.ChoiceField(required=False, label="Policy step completed")
    taken_by = forms.CharField(max_length=200, required=False, label="Taken by",
                               help_text="Who took the step, if not you.")
    place = forms.CharField(max_length=200, required=False, label="Where was searched")
    called = forms.CharField(max_length=200, required=False, label="Who was called")
    outcome = forms.CharField(max_length=300, label="Outcome")
    not_found_after_search = forms.BooleanField(required=False, label="The search of the premises has not found the pupil")
    contacts_exhausted = forms.BooleanField(required=False, label="Parents have had no contact and the emergency contacts are exhausted")
    safeguarding_concern = forms.BooleanField(required=False, label="There is a safeguarding concern")
    found = forms.BooleanField(required=False, label="The pupil has been found")
    close = forms.BooleanField(required=False, label="Close the incident with this outcome")

    def __init__(self, *args, kind: IncidentKind, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["follow_up"].choices = [("", "None of the listed steps")] + [
            (item.code, item.text) for item in FOLLOW_UPS[kind]
        ]


def letter_form_class(kind) -> type[CaseworkForm]:
    """Build the form for one letter kind: its sender fields as typed fields, and how to send it."""
    fields: dict[str, forms.Field] = {
        "method": forms.ChoiceField(
            choices=DeliveryMethod.choices, label="How to send it",
            help_text="E-mail goes to every contact with parental responsibility; printing gives a PDF.",
        )
    }
    for name, spec in kind_spec(kind).sender_fields.items():
        options = {"label": spec.label, "help_text": spec.help_text, "required": spec.required}
        if spec.type == FieldType.DATE:
            fields[name] = forms.DateField(widget=DATE, **options)
        elif spec.type == FieldType.TIME:
            fields[name] = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"), **options)
        elif spec.type == FieldType.PERCENT:
            fields[name] = forms.DecimalField(min_value=1, max_value=100, decimal_places=1, **options)
        else:
            fields[name] = forms.CharField(max_length=200, **options)
    return type("LetterForm", (CaseworkForm,), fields)
