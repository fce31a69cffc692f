"""The policy comparison page: the same results as ``rollbook report actions --policy``, nothing stored."""

from __future__ import annotations

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from rollbook.policy.settings import load_preset
from rollbook.registers.models import MarkRevision, MarkSequence
from rollbook.reports.tests import scenario

pytestmark = pytest.mark.django_db

AS_OF = "2025-10-03"
BEA = scenario.PUPILS["BEA"][0]


def preset_text(name: str, **changes: str) -> str:
    out = io.StringIO()
    call_command("policy_show", name, stdout=out)
    text = out.getvalue()
    for old, new in changes.items():
        assert old in text
        text = text.replace(old, new)
    return text


def command_actions(*extra: str) -> set[tuple[str, str, str]]:
    out = io.StringIO()
    call_command("report_actions", "--as-of", AS_OF, "--format", "json", *extra, stdout=out)
    return {(row["upn"], row["rule"], row["since"]) for row in json.loads(out.getvalue())}


def page_actions(comparison, side: str) -> set[tuple[str, str, str]]:
    cells = ((row.pupil.upn, row.rule.value, getattr(row, side)) for row in comparison.rows)
    return {(upn, rule, cell.since.isoformat()) for upn, rule, cell in cells if cell.met}


def stored() -> tuple[int, list]:
    return MarkRevision.objects.count(), list(MarkSequence.objects.order_by("pk").values_list("codes", flat=True))


def test_policies_preset_agrees_with_command(hazel_lane, leader_client):
    before = stored()
    url = reverse("statistics:policies", args=[hazel_lane.pk])

    response = leader_client.get(url, {"as_of": AS_OF, "policy": "england-2024"})

    assert response.status_code == 200
    comparison = response.context["comparison"]
    assert page_actions(comparison, "current") == command_actions()
    assert page_actions(comparison, "other") == command_actions("--policy", "england-2024")
    assert BEA in response.content.decode()
    assert stored() == before


def test_policies_draft_agrees_with_command(hazel_lane, leader_client, tmp_path):
    draft = preset_text("school-2023", **{"persistent_absence_percent = 10": "persistent_absence_percent = 20"})
    (tmp_path / "draft.toml").write_text(draft, encoding="utf-8")
    url = reverse("statistics:policies", args=[hazel_lane.pk])

    response = leader_client.post(url, {"as_of": AS_OF, "policy": "draft", "draft_text": draft})

    comparison = response.context["comparison"]
    assert page_actions(comparison, "other") == command_actions("--policy", str(tmp_path / "draft.toml"))
    counts = {count.rule.value: count for count, _label in response.context["counts"]}
    # BEA missed 5 of 48 sessions: persistently absent at 10%, not at 20%.
    assert counts["persistent-absence"].only_current == 1
    assert counts["persistent-absence"].only_other == 0
    changed = [row for row in comparison.rows if row.changed]
    assert [(row.pupil.upn, row.rule.value) for row in changed] == [(BEA, "persistent-absence")]
    assert "Met since" in response.content.decode()


def test_policies_uploaded_draft(hazel_lane, leader_client):
    draft = preset_text("school-2023").encode("utf-8")
    url = reverse("statistics:policies", args=[hazel_lane.pk])

    response = leader_client.post(
        url, {"as_of": AS_OF, "policy": "draft", "draft_file": SimpleUploadedFile("policy.toml", draft)}
    )

    comparison = response.context["comparison"]
    assert comparison.other_policy == load_preset("school-2023")
    assert not any(row.changed for row in comparison.rows)


@pytest.mark.parametrize(
    ("draft", "message"),
    [
        ({"persistent_absence_percent = 10": "persistent_absence_percent = 500"},
         "key measures.persistent_absence_percent = 500 is out of range; allowed: 1 to 100"),
        ({"[measures]": "[measure]"}, "key 'measure' is not a policy setting"),
        ({'name = "school-2023"': "name = "}, "not valid TOML"),
    ],
)
def test_policies_invalid_draft_names_key(hazel_lane, leader_client, draft, message):
    url = reverse("statistics:policies", args=[hazel_lane.pk])

    response = leader_client.post(url, {"as_of": AS_OF, "policy": "draft", "draft_text": preset_text("school-2023", **draft)})

    assert response.status_code == 200
    assert response.context["comparison"] is None
    assert message in response.context["form"].errors["draft_text"][0]


def test_policies_draft_missing(hazel_lane, leader_client):
    response = leader_client.post(reverse("statistics:policies", args=[hazel_lane.pk]), {"as_of": AS_OF, "policy": "draft"})

    assert "Paste a draft policy or upload one" in response.context["form"].errors["draft_text"][0]


def test_policies_date_outside_years(hazel_lane, leader_client):
    response = leader_client.get(reverse("statistics:policies", args=[hazel_lane.pk]), {"as_of": "2024-10-03", "policy": "england-2024"})

    assert "no academic year containing this date" in response.context["form"].errors["as_of"][0]


def test_policies_governor_sees_counts_only(hazel_lane, governor_client):
    draft = preset_text("school-2023", **{"persistent_absence_percent = 10": "persistent_absence_percent = 5"})

    response = governor_client.post(
        reverse("statistics:policies", args=[hazel_lane.pk]), {"as_of": AS_OF, "policy": "draft", "draft_text": draft}
    )

    text = response.content.decode()
    assert response.context["rows"] is None
    assert "Persistent absence: 10% or more" in text
    for upn, surname, *_rest in scenario.PUPILS.values():
        assert upn not in text
        assert surname.replace("'", "&#x27;") not in text
