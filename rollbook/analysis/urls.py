from django.urls import path

from . import views

app_name = "analysis"

urlpatterns = [
    path("", views.school_dashboard, name="school"),
    path("year-groups/<str:year_group>/", views.year_group_dashboard, name="year_group"),
    path("classes/<str:class_name>/", views.class_dashboard, name="class"),
    path("groups/", views.groups, name="groups"),
    path("groups/<str:dimension_key>/<str:group_key>/", views.group_dashboard, name="group"),
    path("pupils/", views.pupils, name="pupils"),
    path("pupils/<int:pupil_id>/", views.pupil, name="pupil"),
    path("patterns/", views.patterns, name="patterns"),
    path("at-risk/", views.at_risk, name="at_risk"),
]
