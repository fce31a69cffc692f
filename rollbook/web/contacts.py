"""Contact pages: a pupil's contacts by priority, editing them, and pupils short of emergency contacts.

Schools aim for two emergency contacts per pupil, so the "missing" page lists every pupil on
roll with fewer. An emergency contact counts only with a phone number, because staff phone
them. Access: ``Permission.VIEW_CONTACTS`` limited to ``visible_pupils``, and
``Permission.EDIT_CONTACTS`` to add or change a contact. Another school, or a pupil the user
may not reach, is "not found".
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from rollbook.schools.models import Contact, Placement, Pupil, School

from . import views
from .access import Permission, can, current_year, require, school_or_404, visible_pupils

logger = logging.getLogger(__name__)

REQUIRED_EMERGENCY_CONTACTS = 2
EDITABLE_FIELDS = ("name", "relationship", "phone", "email", "priority", "emergency_contact", "parental_responsibility")
PHONE_PATTERN = re.compile(r"^\+?[0-9 ()-]{6,30}$")


class ContactForm(forms.ModelForm):
    """A contact's details. ``loaded`` carries the values the form was opened with, to spot a clash."""

    loaded = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Contact
        fields = EDITABLE_FIELDS
        labels = {
            "name": "Full name",
            "phone": "Phone number",
            "email": "Email address",
            "emergency_contact": "Emergency contact",
            "parental_responsibility": "Has parental responsibility",
        }
        help_texts = {
            "priority": "1 is phoned first.",
            "phone": "Needed for an emergency contact. Digits, spaces, brackets, hyphens and a leading +.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priority"].widget.attrs.update({"min": 1, "max": 99, "inputmode": "numeric"})
        self.fields["phone"].widget.attrs.update({"autocomplete": "off", "inputmode": "tel"})
        self.fields["email"].widget.attrs.update({"autocomplete": "off"})
        self.fields["priority"].validators.append(_priority_in_range)

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if phone and not PHONE_PATTERN.match(phone):
            raise forms.ValidationError(
                "Enter a phone number using digits, spaces, brackets or hyphens, such as 01632 960 123.",
                code="invalid",
            )
        return phone

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("emergency_contact") and not cleaned.get("phone"):
            self.add_error("phone", forms.ValidationError("Enter a phone number for an emergency contact.", code="required"))
        return cleaned


def _priority_in_range(value: int) -> None:
    if not 1 <= value <= 99:
        raise forms.ValidationError("Enter a priority from 1 to 99.", code="priority_out_of_range")


def contact_values(contact: Contact) -> dict[str, object]:
    return {field: getattr(contact, field) for field in EDITABLE_FIELDS}


@dataclass(frozen=True)
class Clash:
    """A contact someone else changed after the current user opened it."""

    fields: list[str]  # labels of the fields that changed
    saved: dict[str, object]  # the values now saved


@dataclass(frozen=True)
class ShortPupil:
    """A pupil on roll with fewer emergency contacts than required."""

    pupil: Pupil
    class_name: str
    emergency_contacts: int


def _pupil_or_404(user, school: School, pupil_id: int) -> Pupil:
    pupil = visible_pupils(user, school, on=views.today()).filter(pk=pupil_id).first()
    if pupil is None:
        raise Http404("No such pupil.")
    return pupil


@login_required
def pupil_contacts(request, school_id: int, pupil_id: int):
    """List a pupil's contacts, highest priority first."""
    school = school_or_404(request.user, school_id)
    require(request.user, school, Permission.VIEW_CONTACTS)
    pupil = _pupil_or_404(request.user, school, pupil_id)

    contacts = Contact.objects.filter(pupil=pupil).order_by("priority", "name", "pk")
    emergency = sum(1 for contact in contacts if contact.emergency_contact and contact.phone)
    return render(
        request,
        "contacts/pupil.html",
        {
            "school": school,
            "pupil": pupil,
            "contacts": contacts,
            "emergency_contacts": emergency,
            "required": REQUIRED_EMERGENCY_CONTACTS,
            "can_edit": can(request.user, school, Permission.EDIT_CONTACTS),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def add_contact(request, school_id: int, pupil_id: int):
    """Add a contact to a pupil."""
    school = school_or_404(request.user, school_id)
    require(request.user, school, Permission.EDIT_CONTACTS)
    pupil = _pupil_or_404(request.user, school, pupil_id)

    next_priority = (Contact.objects.filter(pupil=pupil).order_by("-priority").values_list("priority", flat=True).first() or 0) + 1
    form = ContactForm(request.POST or None, initial={"priority": min(next_priority, 99)})
    if request.method == "POST" and form.is_valid():
        contact = form.save(commit=False)
        contact.school = school
        contact.pupil = pupil
        contact.save()
        logger.info("Contact %s added to pupil %s by user %s", contact.pk, pupil.pk, request.user.pk)
        messages.success(request, f"Contact {contact.name} added.")
        return HttpResponseRedirect(reverse("contacts:pupil", args=[school.pk, pupil.pk]))

    return render(request, "contacts/edit.html", {"school": school, "pupil": pupil, "form": form, "contact": None})


@login_required
@require_http_methods(["GET", "POST"])
def edit_contact(request, school_id: int, pupil_id: int, contact_id: int):
    """Change a contact, or show what changed if someone else saved it after the form was opened."""
    school = school_or_404(request.user, school_id)
    require(request.user, school, Permission.EDIT_CONTACTS)
    pupil = _pupil_or_404(request.user, school, pupil_id)

    if request.method != "POST":
        contact = _contact_or_404(pupil, contact_id)
        form = ContactForm(instance=contact, initial={"loaded": _dump(contact_values(contact))})
        return _edit_page(request, school, pupil, form, contact)

    with transaction.atomic():
        contact = _contact_or_404(pupil, contact_id, lock=True)
        saved = contact_values(contact)
        form = ContactForm(request.POST, instance=contact)
        if not form.is_valid():
            return _edit_page(request, school, pupil, form, contact)

        clash = _clash(form, saved)
        if clash is not None:
            # Offer the form again, marked as loaded from the values now saved, so the user
            # can check them and save their own values deliberately.
            data = request.POST.copy()
            data["loaded"] = _dump(saved)
            form = ContactForm(data, instance=Contact.objects.get(pk=contact.pk))
            form.is_valid()
            return _edit_page(request, school, pupil, form, contact, clash=clash, status=409)

        form.save()

    logger.info("Contact %s of pupil %s changed by user %s", contact.pk, pupil.pk, request.user.pk)
    messages.success(request, f"Contact {contact.name} saved.")
    return HttpResponseRedirect(reverse("contacts:pupil", args=[school.pk, pupil.pk]))


def _contact_or_404(pupil: Pupil, contact_id: int, *, lock: bool = False) -> Contact:
    contacts = Contact.objects.filter(pupil=pupil, pk=contact_id)
    if lock:
        contacts = contacts.select_for_update()
    contact = contacts.first()
    if contact is None:
        raise Http404("No such contact.")
    return contact


def _dump(values: dict[str, object]) -> str:
    return json.dumps(values, sort_keys=True)


def _clash(form: ContactForm, saved: dict[str, object]) -> Clash | None:
    """Return what changed since the form was loaded, or None when nothing did.

    A form without ``loaded`` (an old page or a hand-made request) is treated as loaded from
    the values now saved, so it overwrites them.
    """
    raw = form.cleaned_data.get("loaded")
    if not raw:
        return None
    try:
        loaded = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(loaded, dict):
        return None

    changed = [field for field in EDITABLE_FIELDS if loaded.get(field) != saved[field]]
    if not changed:
        return None
    labels = [str(form.fields[field].label) for field in changed]
    return Clash(fields=labels, saved={str(form.fields[field].label): saved[field] for field in changed})


def _edit_page(request, school, pupil, form, contact, *, clash: Clash | None = None, status: int = 200):
    context = {"school": school, "pupil": pupil, "form": form, "contact": contact, "clash": clash}
    return render(request, "contacts/edit.html", context, status=status)


@login_required
def missing_contacts(request, school_id: int):
    """List pupils on roll today with fewer than two emergency contacts, by class and name."""
    school = school_or_404(request.user, school_id)
    require(request.user, school, Permission.VIEW_CONTACTS)
    today = views.today()

    rows = short_of_contacts(visible_pupils(request.user, school, on=today), school, today)
    return render(
        request,
        "contacts/missing.html",
        {"school": school, "rows": rows, "required": REQUIRED_EMERGENCY_CONTACTS, "today": today},
    )


def short_of_contacts(pupils, school: School, on: dt.date) -> list[ShortPupil]:
    """Return the pupils on roll on ``on`` with fewer than two emergency contacts with a phone number.

    Ordered by class, then surname and forename. The class is the pupil's placement on ``on`` in
    the current academic year, else empty.
    """
    on_roll = Q(enrolments__admission_date__lte=on) & (
        Q(enrolments__leaving_date__isnull=True) | Q(enrolments__leaving_date__gte=on)
    )
    pupil_ids = pupils.filter(on_roll).values("pk")
    counted = (
        Pupil.objects.filter(pk__in=pupil_ids)
        .annotate(
            emergency=Count(
                "contacts",
                filter=Q(contacts__emergency_contact=True) & ~Q(contacts__phone=""),
                distinct=True,
            )
        )
        .filter(emergency__lt=REQUIRED_EMERGENCY_CONTACTS)
    )
    classes = _classes_on(school, on, [pupil.pk for pupil in counted])
    rows = [ShortPupil(pupil=pupil, class_name=classes.get(pupil.pk, ""), emergency_contacts=pupil.emergency) for pupil in counted]
    return sorted(rows, key=lambda row: (row.class_name, row.pupil.surname, row.pupil.forename, row.pupil.pk))


def _classes_on(school: School, on: dt.date, pupil_ids: list[int]) -> dict[int, str]:
    year = current_year(school, on)
    if year is None:
        return {}
    placements = Placement.objects.filter(academic_year=year, pupil_id__in=pupil_ids, start_date__lte=on).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=on)
    )
    return {placement.pupil_id: placement.class_name for placement in placements.order_by("start_date")}
