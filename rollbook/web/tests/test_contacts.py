"""The contact pages: a pupil's contacts, adding and editing them, and pupils short of contacts."""

from __future__ import annotations

import datetime as dt
import html
import logging
import re

import pytest
from django.urls import reverse

from rollbook.schools.models import Contact, Enrolment, Pupil

from .conftest import JONAH_UPN, LAST_DAY, pupil_by_upn

VALID = {
    "name": "Odile Marchetti",
    "relationship": "Aunt",
    "phone": "01632 960 123",
    "email": "odile@example.org",
    "priority": "3",
    "emergency_contact": "on",
}


def add(pupil: Pupil, name: str, priority: int, *, emergency: bool = True, phone: str = "01632 960 000",
        email: str = "") -> Contact:
    return Contact.objects.create(
        school=pupil.school, pupil=pupil, name=name, priority=priority, emergency_contact=emergency,
        phone=phone, email=email,
    )


def pupil_url(pupil: Pupil) -> str:
    return reverse("contacts:pupil", args=[pupil.school_id, pupil.pk])


def add_url(pupil: Pupil) -> str:
    return reverse("contacts:add", args=[pupil.school_id, pupil.pk])


def edit_url(contact: Contact) -> str:
    return reverse("contacts:edit", args=[contact.school_id, contact.pupil_id, contact.pk])


def missing_url(school) -> str:
    return reverse("contacts:missing", args=[school.pk])


def text_of(response) -> str:
    return response.content.decode()


def test_pupil_contacts_by_priority(client, office, mila, frozen_today):
    add(mila, "Second Caller", 2, email="second@example.org")
    add(mila, "First Caller", 1)
    client.force_login(office)
    response = client.get(pupil_url(mila))
    text = text_of(response)
    assert response.status_code == 200
    assert text.index("First Caller") < text.index("Second Caller")
    assert "01632 960 000" in text
    assert 'href="tel:01632960000"' in text
    assert "second@example.org" in text
    assert "<caption>" in text
    assert '<th scope="row">First Caller</th>' in text
    assert "Edit First Caller" in text
    assert "Add a contact" in text


def test_pupil_contacts_warns_below_two(client, office, mila, frozen_today):
    add(mila, "Only Caller", 1)
    add(mila, "No Phone", 2, phone="")
    client.force_login(office)
    text = text_of(client.get(pupil_url(mila)))
    assert "1 emergency contact with a phone number." in text


def test_pupil_contacts_no_warning_at_two(client, office, mila, frozen_today):
    add(mila, "First Caller", 1)
    add(mila, "Second Caller", 2)
    client.force_login(office)
    text = text_of(client.get(pupil_url(mila)))
    assert "emergency contacts with a phone number" not in text
    assert "emergency contact with a phone number" not in text


def test_pupil_contacts_empty(client, office, mila, frozen_today):
    client.force_login(office)
    text = text_of(client.get(pupil_url(mila)))
    assert "No contacts are recorded for this pupil." in text
    assert "0 emergency contacts with a phone number." in text


def test_pupil_contacts_teacher_reads_only(client, teacher, mila, frozen_today):
    add(mila, "First Caller", 1)
    client.force_login(teacher)
    response = client.get(pupil_url(mila))
    text = text_of(response)
    assert response.status_code == 200
    assert "First Caller" in text
    assert "Edit First Caller" not in text
    assert "Add a contact" not in text


def test_pupil_contacts_other_class_not_found(client, other_class_teacher, mila, frozen_today):
    add(mila, "First Caller", 1)
    client.force_login(other_class_teacher)
    response = client.get(pupil_url(mila))
    assert response.status_code == 404
    assert "First Caller" not in text_of(response)


@pytest.mark.parametrize("persona", ["parent", "governor"])
def test_pupil_contacts_forbidden(request, client, mila, frozen_today, persona):
    add(mila, "First Caller", 1)
    client.force_login(request.getfixturevalue(persona))
    response = client.get(pupil_url(mila))
    assert response.status_code == 403
    assert "First Caller" not in text_of(response)


def test_pupil_contacts_other_school_not_found(client, other_school_teacher, mila, frozen_today):
    client.force_login(other_school_teacher)
    assert client.get(pupil_url(mila)).status_code == 404


def test_pupil_contacts_wrong_school_in_url(client, office, otterburn, mila, frozen_today):
    client.force_login(office)
    url = reverse("contacts:pupil", args=[otterburn.pk, mila.pk])
    assert client.get(url).status_code == 404


def test_add_contact_saves(client, office, mila, frozen_today):
    client.force_login(office)
    response = client.post(add_url(mila), VALID)
    assert response.status_code == 302
    assert response.url == pupil_url(mila)
    contact = Contact.objects.get(pupil=mila)
    assert contact.school_id == mila.school_id
    assert contact.name == "Odile Marchetti"
    assert contact.priority == 3
    assert contact.emergency_contact is True
    assert contact.parental_responsibility is False
    assert "Contact Odile Marchetti added." in text_of(client.get(pupil_url(mila)))


def test_add_contact_suggests_next_priority(client, office, mila, frozen_today):
    add(mila, "First Caller", 1)
    add(mila, "Second Caller", 4)
    client.force_login(office)
    text = text_of(client.get(add_url(mila)))
    assert re.search(r'name="priority" id="id_priority"\s+value="5"', text)
    assert '<label for="id_name">Full name</label>' in text


def test_add_contact_emergency_needs_phone(client, office, mila, frozen_today):
    client.force_login(office)
    response = client.post(add_url(mila), {**VALID, "phone": ""})
    text = text_of(response)
    assert response.status_code == 200
    assert "Enter a phone number for an emergency contact." in text
    assert 'aria-invalid="true"' in text
    assert not Contact.objects.filter(pupil=mila).exists()


def test_add_contact_non_emergency_without_phone(client, office, mila, frozen_today):
    client.force_login(office)
    data = {key: value for key, value in VALID.items() if key != "emergency_contact"}
    response = client.post(add_url(mila), {**data, "phone": ""})
    assert response.status_code == 302
    assert Contact.objects.get(pupil=mila).emergency_contact is False


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("phone", "call me", "Enter a phone number using digits"),
        ("phone", "12345", "Enter a phone number using digits"),
        ("email", "not-an-address", "Enter a valid email address."),
        ("priority", "0", "Enter a priority from 1 to 99."),
        ("priority", "100", "Enter a priority from 1 to 99."),
        ("name", "", "This field is required."),
    ],
)
def test_add_contact_rejects_invalid(client, office, mila, frozen_today, field, value, message):
    client.force_login(office)
    response = client.post(add_url(mila), {**VALID, field: value})
    assert response.status_code == 200
    assert message in text_of(response)
    assert not Contact.objects.filter(pupil=mila).exists()


@pytest.mark.parametrize("priority", ["1", "99"])
def test_add_contact_priority_bounds(client, office, mila, frozen_today, priority):
    client.force_login(office)
    response = client.post(add_url(mila), {**VALID, "priority": priority})
    assert response.status_code == 302
    assert Contact.objects.filter(pupil=mila, priority=int(priority)).exists()


@pytest.mark.parametrize("persona", ["teacher", "attendance_lead", "la_officer", "parent"])
def test_add_contact_forbidden(request, client, mila, frozen_today, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.post(add_url(mila), VALID)
    assert response.status_code == 403
    assert not Contact.objects.filter(pupil=mila).exists()


def test_add_contact_administrator(client, administrator, mila, frozen_today):
    client.force_login(administrator)
    assert client.post(add_url(mila), VALID).status_code == 302
    assert Contact.objects.filter(pupil=mila).count() == 1


def test_edit_contact_changes_priority_and_flag(client, office, mila, frozen_today):
    contact = add(mila, "First Caller", 1)
    client.force_login(office)
    form = client.get(edit_url(contact))
    loaded = re.search(r'name="loaded" value="([^"]*)"', text_of(form)).group(1)
    response = client.post(edit_url(contact), {
        "name": "First Caller", "phone": "01632 960 000", "priority": "2", "loaded": html.unescape(loaded),
    })
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.priority == 2
    assert contact.emergency_contact is False


def test_edit_contact_clash_keeps_other_change(client, office, mila, frozen_today):
    contact = add(mila, "First Caller", 1)
    client.force_login(office)
    loaded = html.unescape(re.search(r'name="loaded" value="([^"]*)"', text_of(client.get(edit_url(contact)))).group(1))

    # Someone else changes the phone number after the form was opened.
    Contact.objects.filter(pk=contact.pk).update(phone="01632 960 999")

    mine = {"name": "First Caller", "phone": "01632 960 000", "priority": "2", "emergency_contact": "on", "loaded": loaded}
    response = client.post(edit_url(contact), mine)
    text = text_of(response)
    assert response.status_code == 409
    assert "Someone else changed this contact after you opened it" in text
    assert "They changed: Phone number." in text
    assert "01632 960 999" in text
    contact.refresh_from_db()
    assert contact.phone == "01632 960 999"
    assert contact.priority == 1

    # Saving again from the offered form replaces the other change deliberately.
    reloaded = html.unescape(re.search(r'name="loaded" value="([^"]*)"', text).group(1))
    response = client.post(edit_url(contact), {**mine, "loaded": reloaded})
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.phone == "01632 960 000"
    assert contact.priority == 2


def test_edit_contact_of_other_pupil_not_found(client, office, mila, ruth, frozen_today):
    contact = add(ruth, "Ruth's Caller", 1)
    client.force_login(office)
    url = reverse("contacts:edit", args=[mila.school_id, mila.pk, contact.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, VALID).status_code == 404
    contact.refresh_from_db()
    assert contact.name == "Ruth's Caller"


def test_edit_contact_forbidden_for_teacher(client, teacher, mila, frozen_today):
    contact = add(mila, "First Caller", 1)
    client.force_login(teacher)
    assert client.post(edit_url(contact), {**VALID, "name": "Changed"}).status_code == 403
    contact.refresh_from_db()
    assert contact.name == "First Caller"


def test_contact_logs_ids_only(client, office, mila, frozen_today, caplog):
    client.force_login(office)
    with caplog.at_level(logging.INFO, logger="rollbook.web.contacts"):
        client.post(add_url(mila), VALID)
    contact = Contact.objects.get(pupil=mila)
    assert f"Contact {contact.pk} added to pupil {mila.pk}" in caplog.text
    assert "Odile" not in caplog.text
    assert "01632" not in caplog.text
    assert "Mila" not in caplog.text


def test_missing_lists_pupils_below_two(client, office, larkspur, mila, ruth, frozen_today):
    add(mila, "First Caller", 1)
    add(mila, "Second Caller", 2)
    jonah = pupil_by_upn(JONAH_UPN)
    add(jonah, "Jonah's Caller", 1)
    add(jonah, "No Phone", 2, phone="")
    add(jonah, "Not Emergency", 3, emergency=False)
    client.force_login(office)
    response = client.get(missing_url(larkspur))
    text = text_of(response)
    assert response.status_code == 200
    assert "Mila Thornbury" not in text
    assert "Jonah Pellow" in text
    assert "Ruth Aske" in text
    assert "2 pupils with fewer than 2 emergency contacts, by class" in text
    assert '<th scope="col">Class</th>' in text
    # By class: 3 Cedar before 3 Maple.
    assert text.index("Jonah Pellow") < text.index("Ruth Aske")
    assert re.search(r"<td>3 Cedar</td>\s*<th scope=\"row\"><a [^>]*>Jonah Pellow</a></th>\s*<td>1</td>", text)
    assert re.search(r"<td>3 Maple</td>\s*<th scope=\"row\"><a [^>]*>Ruth Aske</a></th>\s*<td>0</td>", text)


def test_missing_leaves_out_pupils_off_roll(client, office, larkspur, ruth, frozen_today):
    Enrolment.objects.filter(pupil=ruth).update(leaving_date=LAST_DAY - dt.timedelta(days=1))
    client.force_login(office)
    assert "Ruth Aske" not in text_of(client.get(missing_url(larkspur)))


def test_missing_keeps_pupil_leaving_today(client, office, larkspur, ruth, frozen_today):
    Enrolment.objects.filter(pupil=ruth).update(leaving_date=LAST_DAY)
    client.force_login(office)
    assert "Ruth Aske" in text_of(client.get(missing_url(larkspur)))


def test_missing_teacher_sees_own_class(client, teacher, larkspur, frozen_today):
    client.force_login(teacher)
    text = text_of(client.get(missing_url(larkspur)))
    assert "Jonah Pellow" in text
    assert "Mila Thornbury" in text
    assert "Ruth Aske" not in text


def test_missing_all_covered(client, office, larkspur, frozen_today):
    for pupil in Pupil.objects.filter(school=larkspur):
        add(pupil, "First Caller", 1)
        add(pupil, "Second Caller", 2)
    client.force_login(office)
    text = text_of(client.get(missing_url(larkspur)))
    assert "Every pupil you can see has at least 2 emergency contacts." in text
    assert "<table" not in text


@pytest.mark.parametrize(("persona", "status"), [("governor", 403), ("parent", 403), ("other_school_teacher", 404)])
def test_missing_refused(request, client, larkspur, frozen_today, persona, status):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(missing_url(larkspur))
    assert response.status_code == status
    assert "Jonah Pellow" not in text_of(response)
