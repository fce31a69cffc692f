from django.urls import path

from . import contacts

app_name = "contacts"

urlpatterns = [
    path("missing/", contacts.missing_contacts, name="missing"),
    path("<int:pupil_id>/", contacts.pupil_contacts, name="pupil"),
    path("<int:pupil_id>/add/", contacts.add_contact, name="add"),
    path("<int:pupil_id>/<int:contact_id>/edit/", contacts.edit_contact, name="edit"),
]
