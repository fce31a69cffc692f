"""Forms of the leaders' and governors' pages: each checks its input and names the field at fault."""

from __future__ import annotations

from django import forms

from rollbook.policy.settings import Policy, PolicyError, available_presets, load_preset

from .benchmarks import Choices
from .policy_comparison import MAX_DRAFT_BYTES, parse_draft

DRAFT = "draft"


class BenchmarkForm(forms.Form):
    year = forms.TypedChoiceField(label="Academic year", coerce=int)
    period = forms.ChoiceField(label="Period")
    school_type = forms.ChoiceField(label="Schools compared with")

    def __init__(self, data, choices: Choices):
        super().__init__(data)
        self.fields["year"].choices = [(year, f"{year}/{(year + 1) % 100:02d}") for year in choices.start_years]
        self.fields["period"].choices = [(period, period) for period in choices.time_identifiers]
        self.fields["school_type"].choices = [(kind, "All schools" if kind == "Total" else kind) for kind in choices.school_types]


class PolicyComparisonForm(forms.Form):
    # A date input sends and shows ISO dates whatever the page's language.
    as_of = forms.DateField(label="Judge the marks as of", widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    policy = forms.ChoiceField(label="Compare with")
    draft_text = forms.CharField(
        label="Draft policy (TOML)", required=False, widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false"}),
        help_text="Paste an edited copy of a preset, as printed by: rollbook policy show",
    )
    draft_file = forms.FileField(label="Or upload a draft policy file (.toml)", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        presets = [(name, f"Preset {name}") for name in available_presets()]
        self.fields["policy"].choices = [*presets, (DRAFT, "A draft policy pasted or uploaded below")]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("policy") != DRAFT:
            return cleaned
        upload = cleaned.get("draft_file")
        if upload is not None:
            if upload.size > MAX_DRAFT_BYTES:
                self.add_error("draft_file", f"The file is larger than {MAX_DRAFT_BYTES // 1024} KiB; upload only the policy file.")
                return cleaned
            try:
                text = upload.read().decode("utf-8")
            except UnicodeDecodeError:
                self.add_error("draft_file", "The file is not UTF-8 text; save the policy as a plain .toml file.")
                return cleaned
            field = "draft_file"
        else:
            text = cleaned.get("draft_text", "")
            field = "draft_text"
        if not text.strip():
            self.add_error("draft_text", "Paste a draft policy or upload one, or choose a preset.")
            return cleaned
        try:
            cleaned["draft_policy"] = parse_draft(text)
        except PolicyError as error:
            self.add_error(field, str(error))
        return cleaned

    def chosen_policy(self) -> Policy:
        """Return the policy to compare with; call only after ``is_valid()`` returned True."""
        if self.cleaned_data["policy"] == DRAFT:
            return self.cleaned_data["draft_policy"]
        return load_preset(self.cleaned_data["policy"])
