from django.urls import path

from . import views

app_name = "registers"

# The class name comes last and may contain "/", as in "3/4 Ash".
urlpatterns = [
    path("", views.register_list, name="list"),
    path("take/<str:date>/<str:session>/<path:class_name>/", views.take_register, name="take"),
    path("missing/", views.missing_registers, name="missing"),
    path("missing/rows/", views.board_rows, name="board_rows"),
    path("signing-book/", views.signing_book, name="signing_book"),
    path("pupils/<int:pupil_id>/", views.pupil_record, name="pupil"),
    path("pupils/<int:pupil_id>/<str:date>/<str:session>/history/", views.mark_history, name="mark_history"),
    path("pupils/<int:pupil_id>/<str:date>/<str:session>/amend/", views.amend, name="amend"),
]
