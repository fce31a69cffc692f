from django.urls import path

from . import views

app_name = "letters"

urlpatterns = [
    path("templates/", views.templates, name="templates"),
    path("templates/<str:kind>/download/", views.template_download, name="template_download"),
    path("templates/<int:template_id>/withdraw/", views.template_withdraw, name="template_withdraw"),
    path("batch/", views.batch, name="batch"),
    path("recognition/", views.recognition, name="recognition"),
    path("pupils/<int:pupil_id>/target/", views.attendance_target, name="attendance_target"),
    path("pupils/<int:pupil_id>/", views.pupil_letters, name="pupil"),
    path("pupils/<int:pupil_id>/<str:kind>/", views.write, name="write"),
    path("sent/<int:letter_id>/pdf/", views.letter_pdf, name="letter_pdf"),
]
