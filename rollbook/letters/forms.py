"""Forms for letters: the sender's values of one kind, a template upload, and a batch to print."""

from __future__ import annotations

from django import forms

from .kinds import FieldType, KindSpec, LetterKind

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def sender_form_class(spec: KindSpec) -> type[forms.Form]:
    """Build the form asking for the sender's values of one kind of letter."""
    fields: dict[str, forms.Field] = {}
    for name, field in spec.sender_fields.items():
        options = {"label": field.label, "help_text": field.help_text, "required": field.required}
        if field.type == FieldType.DATE:
            fields[name] = forms.DateField(widget=DATE_INPUT, **options)
        elif field.type == FieldType.TIME:
            fields[name] = forms.TimeField(widget=TIME_INPUT, **options)
        elif field.type == FieldType.PERCENT:
            fields[name] = forms.DecimalField(min_value=1, max_value=100, decimal_places=1, **options)
        else:
            fields[name] = forms.CharField(max_length=300, **options)
    return type(f"{spec.kind.name.title()}SenderForm", (forms.Form,), fields)


class UploadTemplateForm(forms.Form):
    kind = forms.ChoiceField(label="Letter", choices=LetterKind.choices)
    file = forms.FileField(label="Word template (.docx)", help_text="At most 2 MB. Download a template below to start from.")


class BatchForm(forms.Form):
    kind = forms.ChoiceField(label="Letter", choices=LetterKind.choices)
    pupils = forms.ModelMultipleChoiceField(
        queryset=None, label="Pupils", widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one pupil."},
    )

    def __init__(self, *args, pupils, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pupils"].queryset = pupils
        self.fields["pupils"].label_from_instance = lambda pupil: f"{pupil.surname}, {pupil.forename} ({pupil.upn})"


class AttendanceTargetForm(forms.Form):
    percent = forms.IntegerField(
        label="Individual attendance target (%)", min_value=1, max_value=100,
        help_text="The attendance agreed for this pupil, such as 80. Leave empty to remove the target.", required=False,
    )
    reason = forms.CharField(
        label="Reason", max_length=300, required=False,
        help_text="Why the pupil has their own target, such as 'hospital appointments every week'.",
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("percent") is not None and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", forms.ValidationError("Give the reason for an individual target.", code="required"))
        return cleaned
