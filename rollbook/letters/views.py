"""Letter pages: the school's templates, writing a letter to one pupil's parents, and printing a batch.

Access: ``Permission.SEND_LETTERS`` to write, e-mail and print letters and certificates, for
pupils within ``visible_pupils``; ``Permission.EDIT_LETTER_TEMPLATES`` to upload or withdraw a
template; ``Permission.MANAGE_CASEWORK`` to set a pupil's individual attendance target.
Another school, an unknown kind or a pupil out of reach is "not found".
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from rollbook.web import views as web_views
from rollbook.web.access import Permission, actor_for, can, require, school_or_404, visible_pupils

from . import engine, services
from . import recognition as certificates
from .forms import AttendanceTargetForm, BatchForm, UploadTemplateForm, sender_form_class
from .kinds import LETTER_KINDS, LetterKind
from .models import AttendanceTarget, Letter, LetterTemplate

log = logging.getLogger(__name__)

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _kind_or_404(kind: str) -> LetterKind:
    try:
        return LetterKind(kind)
    except ValueError:
        raise Http404("No such letter.") from None


def _pupil_or_404(user, school, pupil_id: int):
    pupil = visible_pupils(user, school, on=web_views.today()).filter(pk=pupil_id).first()
    if pupil is None:
        raise Http404("No such pupil.")
    return pupil


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def templates(request, school_id: int):
    """List each kind's template in use and take uploads of the school's own."""
    school = school_or_404(request.user, school_id)
    require(request.user, school, Permission.EDIT_LETTER_TEMPLATES)

    form = UploadTemplateForm(request.POST if request.method == "POST" else None, request.FILES if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            kind = LetterKind(form.cleaned_data["kind"])
            upload = form.cleaned_data["file"]
            if upload.size > engine.MAX_TEMPLATE_BYTES:
                form.add_error("file", f"The file is {upload.size:,} bytes, more than the {engine.MAX_TEMPLATE_BYTES:,} allowed.")
            else:
                try:
                    template = services.upload_template(
                        school, kind, upload.name, upload.read(), user=request.user, at=timezone.now()
                    )
                except engine.TemplateError as error:
                    form.add_error("file", f"{upload.name}: {error}.")
                else:
                    messages.success(request, f"{kind.label}: {template.version_label} is now in use.")
                    return HttpResponseRedirect(reverse("letters:templates", args=[school.pk]))
        status = 400

    rows = []
    for kind, spec in LETTER_KINDS.items():
        in_use = services.template_in_use(school, kind)
        rows.append({"kind": kind, "spec": spec, "in_use": in_use})
    uploads = LetterTemplate.objects.filter(school=school).select_related("uploaded_by").order_by("kind", "-version")
    return render(
        request, "letters/templates.html", {"school": school, "rows": rows, "form": form, "uploads": uploads}, status=status
    )


@login_required
def template_download(request, school_id: int, kind: str):
    """Download the Word template of a kind that is in use, to edit and upload again."""
    school = school_or_404(request.user, school_id)
    require(request.user, school, Permission.EDIT_LETTER_TEMPLATES)
    letter_kind = _kind_or_404(kind)
    in_use = services.template_in_use(school, letter_kind)
    return _download(in_use.content, DOCX_TYPE, f"{letter_kind.value.replace('_', '-')}-template.docx")


@login_required
@require_POST
def template_withdraw(request, school_id: int, template_id: int):
    school = school_or_404(request.user, school_id)
    require(request.user, school, Permission.EDIT_LETTER_TEMPLATES)
    template = LetterTemplate.objects.filter(school=school, pk=template_id).first()
    if template is None:
        raise Http404("No such template.")
    if request.POST.get("confirm") != "withdraw":
        return HttpResponseBadRequest("Withdraw a template with the Withdraw button on the letter templates page.")
    if services.withdraw_template(template, user=request.user, at=timezone.now()):
        messages.success(request, f"{template.get_kind_display()}: {template.version_label} is withdrawn.")
    else:
        messages.info(request, f"{template.get_kind_display()}: {template.version_label} was already withdrawn.")
    return HttpResponseRedirect(reverse("letters:templates", args=[school.pk]))


@login_required
def pupil_letters(request, school_id: int, pupil_id: int):
    """List the letters a pupil's parents were sent, with links to write another."""
    school = school_or_404(request.user, school_id)
    require(request.user, school, Permission.SEND_LETTERS)
    pupil = _pupil_or_404(request.user, school, pupil_id)
    letters = Letter.objects.filter(school=school, pupil=pupil).order_by("-sent_at", "-pk")
    return render(
        request, "letters/pupil.html", {"school": school, "pupil": pupil, "letters": letters, "kinds": LetterKind}
    )


@login_required
@require_http_methods(["GET", "POST"])
def write(request, school_id: int, pupil_id: int, kind: str):
    """Write one letter: preview it as Word or PDF, or e-mail or print it (both recorded)."""
    school = school_or_404(request.user, school_id)
    require(request.user, school, Permission.SEND_LETTERS)
    pupil = _pupil_or_404(request.user, school, pupil_id)
    letter_kind = _kind_or_404(kind)
    spec = LETTER_KINDS[letter_kind]
    form = sender_form_class(spec)(request.POST if request.method == "POST" else None)
    today = web_views.today()
    actor = actor_for(request.user, school)

    if request.method == "POST":
        action = request.POST.get("action", "")
        valid = form.is_valid()
        if action not in {"word", "pdf", "email", "print"}:
            form.add_error(None, "Choose what to do with the letter: download it as Word or PDF, e-mail it or print it.")
        elif valid:
            values = form.cleaned_data
            try:
                response = _act_on_letter(request, school, pupil, letter_kind, action, values, today, actor)
            except services.LetterError as error:
                form.add_error(error.field if error.field in form.fields else None, str(error).capitalize() + ".")
            else:
                return response
        return _write_page(request, school, pupil, spec, form, status=400)
    return _write_page(request, school, pupil, spec, form)


def _act_on_letter(request, school, pupil, kind, action, values, today, actor):
    at = timezone.now()
    if action in {"word", "pdf"}:
        composed = services.compose(pupil, kind, on=today, sender=actor, sender_values=values)
        name = services.pdf_filename(kind, pupil, today)
        if action == "word":
            return _download(composed.rendered.docx, DOCX_TYPE, name.removesuffix(".pdf") + ".docx")
        return _download(composed.rendered.pdf, "application/pdf", name)
    if action == "email":
        letter = services.send_by_email(
            pupil, kind, on=today, at=at, user=request.user, sender=actor, sender_values=values
        )
        messages.success(request, f"{kind.label} is recorded and e-mailed to {letter.addressed_to}.")
        return HttpResponseRedirect(reverse("letters:pupil", args=[school.pk, pupil.pk]))
    batch = services.print_batch([pupil], kind, on=today, at=at, user=request.user, sender=actor, sender_values=values)
    return _download(batch.pdf, "application/pdf", services.pdf_filename(kind, pupil, today))


def _write_page(request, school, pupil, spec, form, *, status: int = 200):
    contacts = services.parental_responsibility_contacts(pupil)
    return render(
        request,
        "letters/write.html",
        {
            "school": school,
            "pupil": pupil,
            "spec": spec,
            "form": form,
            "contacts": contacts,
            "can_email": any(c.email for c in contacts),
        },
        status=status,
    )


@login_required
def letter_pdf(request, school_id: int, letter_id: int):
    """Download a recorded letter's PDF as it was sent."""
    school = school_or_404(request.user, school_id)
    require(request.user, school, Permission.SEND_LETTERS)
    letter = Letter.objects.filter(school=school, pk=letter_id, pupil__in=visible_pupils(request.user, school)).first()
    if letter is None:
        raise Http404("No such letter.")
    return _download(bytes(letter.pdf), "application/pdf", services.pdf_filename(LetterKind(letter.kind), letter.pupil, letter.letter_date))


@login_required
@require_http_methods(["GET", "POST"])
def batch(request, school_id: int):
    """Print one kind of letter for many pupils as one PDF; each letter is recorded as printed.

    The sender's values of the chosen kind are asked on the same page; fields of other kinds
    are ignored.
    """
    school = school_or_404(request.user, school_id)
    require(request.user, school, Permission.SEND_LETTERS)
    today = web_views.today()
    pupils = visible_pupils(request.user, school, on=today).order_by("surname", "forename", "upn")
    requested = request.POST.get("kind") or request.GET.get("kind") or ""
    kind = LetterKind(requested) if requested in LetterKind.values else LetterKind.TRIGGER_1
    form = BatchForm(request.POST if request.method == "POST" else None, pupils=pupils, initial={"kind": kind.value})
    sender_form = sender_form_class(LETTER_KINDS[kind])(request.POST if request.method == "POST" else None, prefix="sender")

    if request.method == "POST":
        if form.is_valid() and sender_form.is_valid():
            try:
                printed = services.print_batch(
                    list(form.cleaned_data["pupils"]), kind, on=today, at=timezone.now(), user=request.user,
                    sender=actor_for(request.user, school), sender_values=sender_form.cleaned_data,
                )
            except services.LetterError as error:
                form.add_error(None, str(error).capitalize() + ".")
            else:
                return _download(printed.pdf, "application/pdf", services.pdf_filename(kind, None, today))
        status = 400
    else:
        status = 200
    return render(
        request,
        "letters/batch.html",
        {"school": school, "form": form, "sender_form": sender_form, "kind": kind, "kinds": LetterKind},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def recognition(request, school_id: int):
    """List the pupils whose attendance so far earns a certificate; a POST prints certificates for those chosen."""
    school = school_or_404(request.user, school_id)
    require(request.user, school, Permission.SEND_LETTERS)
    today = web_views.today()
    can_set_targets = can(request.user, school, Permission.MANAGE_CASEWORK)
    target_pupil = request.GET.get("target_pupil", "")
    if target_pupil.isdigit() and can_set_targets:
        pupil = _pupil_or_404(request.user, school, int(target_pupil))
        return HttpResponseRedirect(reverse("letters:attendance_target", args=[school.pk, pupil.pk]))
    pupils = list(visible_pupils(request.user, school, on=today).order_by("surname", "forename", "upn"))
    found = certificates.candidates(pupils, today)
    status = 200
    error = ""
    if request.method == "POST":
        chosen_ids = {int(value) for value in request.POST.getlist("pupils") if value.isdigit()}
        chosen = [c for c in found if c.pupil.pk in chosen_ids]
        if not chosen:
            error = "Choose at least one pupil."
        else:
            try:
                printed = certificates.print_certificates(
                    chosen, on=today, at=timezone.now(), user=request.user, sender=actor_for(request.user, school)
                )
            except services.LetterError as failure:
                error = str(failure).capitalize() + "."
            else:
                return _download(printed.pdf, "application/pdf", services.pdf_filename(LetterKind.RECOGNITION, None, today))
        status = 400
    return render(
        request,
        "letters/recognition.html",
        {
            "school": school,
            "earning": [c for c in found if c.reason],
            "others_with_targets": [c for c in found if not c.reason and c.target],
            "error": error,
            "can_set_targets": can_set_targets,
            "pupils": pupils,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def attendance_target(request, school_id: int, pupil_id: int):
    """Set, change or remove a pupil's individual attendance target."""
    school = school_or_404(request.user, school_id)
    require(request.user, school, Permission.MANAGE_CASEWORK)
    pupil = _pupil_or_404(request.user, school, pupil_id)
    current = AttendanceTarget.objects.filter(pupil=pupil).first()
    initial = {"percent": current.percent, "reason": current.reason} if current else {}
    form = AttendanceTargetForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            if form.cleaned_data["percent"] is None:
                AttendanceTarget.objects.filter(pupil=pupil).delete()
                messages.success(request, "The individual target is removed.")
            else:
                AttendanceTarget.objects.update_or_create(
                    pupil=pupil,
                    defaults={
                        "school": school,
                        "percent": form.cleaned_data["percent"],
                        "reason": form.cleaned_data["reason"].strip(),
                        "set_by_name": actor_for(request.user, school).name,
                        "set_at": timezone.now(),
                    },
                )
                messages.success(request, f"The individual target is {form.cleaned_data['percent']}%.")
            return HttpResponseRedirect(reverse("letters:recognition", args=[school.pk]))
        return render(request, "letters/target.html", {"school": school, "pupil": pupil, "form": form}, status=400)
    return render(request, "letters/target.html", {"school": school, "pupil": pupil, "form": form})
