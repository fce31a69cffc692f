"""Forms for parents' reports and requests and for staff decisions; the services check the rules."""

from __future__ import annotations

from django import forms

from rollbook.absences.models import AbsenceReason
from rollbook.policy.calendar import Session
from rollbook.policy.requests import Licence, RequestKind

from .models import LetterPurpose, LicenceChoice

SESSION_FIELD_CHOICES = [(Session.AM.value, "Morning"), (Session.PM.value, "Afternoon")]
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ReportAbsenceForm(forms.Form):
    start_date = forms.DateField(label="First day away", widget=DATE_INPUT)
    start_session = forms.ChoiceField(label="From the", choices=SESSION_FIELD_CHOICES, initial=Session.AM.value)
    end_date = forms.DateField(label="Last day expected to be away", widget=DATE_INPUT,
                               help_text="The same as the first day for one day.")
    end_session = forms.ChoiceField(label="Until the end of the", choices=SESSION_FIELD_CHOICES, initial=Session.PM.value)
    reason = forms.ChoiceField(label="Reason", choices=AbsenceReason.choices)
    message = forms.CharField(label="Message to the school (optional)", required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 4}))


class RequestForm(forms.Form):
    """The fields every request has; each kind's form adds its own."""

    reason = forms.CharField(label="Reason for the request", max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))


class DatedRequestForm(RequestForm):
    first_day = forms.DateField(label="First day", widget=DATE_INPUT)
    first_session = forms.ChoiceField(label="From the", choices=SESSION_FIELD_CHOICES, initial=Session.AM.value)
    last_day = forms.DateField(label="Last day", widget=DATE_INPUT)
    last_session = forms.ChoiceField(label="Until the end of the", choices=SESSION_FIELD_CHOICES, initial=Session.PM.value)


class LeaveRequestForm(DatedRequestForm):
    family_holiday = forms.BooleanField(label="This leave is for a family holiday", required=False)


class ReligiousRequestForm(DatedRequestForm):
    religious_body = forms.CharField(label="Religious body", max_length=200,
                                     help_text="The body that sets the days apart, such as your place of worship.")
    days_set_apart = forms.CharField(label="Days set apart by the religious body", max_length=1000,
                                     help_text="Each date as DD/MM/YYYY, separated by commas.")


class TravellerRequestForm(DatedRequestForm):
    occupational_travel = forms.BooleanField(label="The family is travelling for work (occupational purposes)", required=False)


class LicenceRequestForm(DatedRequestForm):
    licence = forms.ChoiceField(label="Licence", choices=LicenceChoice.choices, widget=forms.RadioSelect)
    licence_reference = forms.CharField(label="Licence reference", max_length=100, required=False,
                                        help_text="As printed on the local authority's licence.")
    licence_dates = forms.CharField(label="Dates named on the licence", max_length=1000, required=False,
                                    help_text="Each date as DD/MM/YYYY, separated by commas; only for a licence that names dates.")


class LunchtimeRequestForm(RequestForm):
    pass


REQUEST_FORMS: dict[RequestKind, type[RequestForm]] = {
    RequestKind.LEAVE: LeaveRequestForm,
    RequestKind.RELIGIOUS: ReligiousRequestForm,
    RequestKind.TRAVELLER: TravellerRequestForm,
    RequestKind.LICENCE: LicenceRequestForm,
    RequestKind.LUNCHTIME: LunchtimeRequestForm,
}


def licence_of(value: str) -> Licence | None:
    return Licence(value) if value else None


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label="Decision", choices=[("grant", "Grant"), ("refuse", "Refuse")], widget=forms.RadioSelect)
    reasons = forms.CharField(
        label="Reasons", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One reason a line. When refusing with none typed, the policy checks that refuse are given.",
    )
    exceptional_circumstances = forms.CharField(
        label="Exceptional circumstances", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed to grant a family holiday.",
    )


class AssessmentPeriodForm(forms.Form):
    label = forms.CharField(label="Name", max_length=100, help_text="Such as Key stage 2 tests.")
    start_date = forms.DateField(label="First day", widget=DATE_INPUT)
    end_date = forms.DateField(label="Last day", widget=DATE_INPUT)

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", f"the last day {end:%d/%m/%Y} is before the first day {start:%d/%m/%Y}; check the dates")
        return data


class LetterTemplateForm(forms.Form):
    purpose = forms.ChoiceField(label="Letter", choices=LetterPurpose.choices)
    template = forms.FileField(label="Word template (.docx)")


class AmendToRefusedForm(forms.Form):
    request_id = forms.IntegerField(widget=forms.HiddenInput)
    day = forms.DateField(widget=forms.HiddenInput)
    session = forms.ChoiceField(choices=[(s.value, s.value) for s in Session], widget=forms.HiddenInput)
    loaded = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label="Reason for the amendment", max_length=500)
