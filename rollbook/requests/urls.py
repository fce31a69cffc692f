from django.urls import path

from . import views

app_name = "requests"

urlpatterns = [
    path("", views.request_list, name="list"),
    path("<int:request_id>/", views.request_detail, name="detail"),
    path("<int:request_id>/withdraw/", views.staff_withdraw, name="withdraw"),
    path("<int:request_id>/letters/<int:letter_id>.<str:file_format>", views.letter_file, name="letter"),
    path("assessments/", views.assessments, name="assessments"),
    path("assessments/<int:entry_id>/delete/", views.assessment_delete, name="assessment_delete"),
    path("letter-templates/", views.letter_templates, name="letter_templates"),
    path("letter-templates/<str:purpose>.docx", views.letter_template_file, name="letter_template_file"),
    path("refused-taken/", views.refused_taken, name="refused_taken"),
    path("lunchtime/", views.lunchtime, name="lunchtime"),
]
