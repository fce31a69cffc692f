"""Forms for local authority duties and penalty notices."""

from __future__ import annotations

from django import forms

from rollbook.policy.duties import RemovalGround

from .models import EnquiryParty, RemovalDecision

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MarkSentForm(forms.Form):
    sent_to = forms.CharField(
        label="Sent to", max_length=200, help_text="Who at the local authority, and how: such as 'Children missing education team, by secure e-mail'."
    )


class LongHealthAbsenceForm(forms.Form):
    first_day = forms.DateField(label="First day of absence", widget=DATE_INPUT)
    expected_last_day = forms.DateField(label="Expected last day of absence", widget=DATE_INPUT)
    reason = forms.CharField(
        label="Health reason", max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="A few words the local authority needs, such as 'hospital stay and recovery after surgery'.",
    )


class EnquiryForm(forms.Form):
    made_by = forms.ChoiceField(label="Made by", choices=EnquiryParty.choices)
    made_on = forms.DateField(label="Date", widget=DATE_INPUT)
    method = forms.CharField(label="How", max_length=100, help_text="Such as: phone call, home visit, letter.")
    contacted = forms.CharField(label="Who was contacted", max_length=200)
    outcome = forms.CharField(label="Outcome", widget=forms.Textarea(attrs={"rows": 3}))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label="Decision", choices=RemovalDecision.choices, widget=forms.RadioSelect)
    ground = forms.ChoiceField(label="Statutory ground", required=False)
    reason = forms.CharField(
        label="Reason", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed to keep the pupil on roll, and for a ground other than absence.",
    )
    no_unavoidable_cause = forms.BooleanField(
        label="There is no reason to believe the absence is caused by illness or another unavoidable cause",
        required=False,
    )

    def __init__(self, *args, grounds: tuple[RemovalGround, ...], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ground"].choices = [("", "Choose a ground")] + [(g.value, g.label) for g in grounds]


class IssueNoticesForm(forms.Form):
    contacts = forms.ModelMultipleChoiceField(
        queryset=None, label="Parents with parental responsibility", widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one parent."},
    )
    issued_on = forms.DateField(label="Date of issue", widget=DATE_INPUT)

    def __init__(self, *args, contacts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contacts"].queryset = contacts
        self.fields["contacts"].label_from_instance = lambda c: f"{c.name} ({c.relationship or 'relationship not recorded'})"


class PaymentForm(forms.Form):
    paid_on = forms.DateField(label="Date paid", widget=DATE_INPUT)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label="Reason for withdrawal", widget=forms.Textarea(attrs={"rows": 3}))


class ReferForm(forms.Form):
    note = forms.CharField(label="Note for the referral", required=False, widget=forms.Textarea(attrs={"rows": 3}))
