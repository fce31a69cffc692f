from django.urls import path

from . import views_actions, views_incidents, views_pupil

app_name = "casework"

urlpatterns = [
    path("", views_actions.actions, name="actions"),
    path("decide/", views_actions.decide, name="decide"),
    path("pupils/<int:pupil_id>/", views_pupil.pupil_casework, name="pupil"),
    path("pupils/<int:pupil_id>/stage-1/", views_pupil.start_stage_1, name="start_stage_1"),
    path("pupils/<int:pupil_id>/log/", views_pupil.add_log_entry, name="add_log_entry"),
    path("pupils/<int:pupil_id>/plans/", views_pupil.add_plan, name="add_plan"),
    path("pupils/<int:pupil_id>/plans/<int:plan_id>/review/", views_pupil.review_plan, name="review_plan"),
    path("pupils/<int:pupil_id>/meetings/", views_pupil.add_meeting, name="add_meeting"),
    path("pupils/<int:pupil_id>/meetings/<int:meeting_id>/", views_pupil.record_meeting, name="record_meeting"),
    path("pupils/<int:pupil_id>/evidence/", views_pupil.add_evidence, name="add_evidence"),
    path("pupils/<int:pupil_id>/letters/<str:kind>/", views_pupil.send_letter, name="send_letter"),
    path("pupils/<int:pupil_id>/incidents/", views_incidents.open_incident, name="open_incident"),
    path("cases/<int:case_id>/review/", views_pupil.review_case, name="review_case"),
    path("cases/<int:case_id>/close/", views_pupil.close_case, name="close_case"),
    path("cases/<int:case_id>/weekly-report/", views_pupil.weekly_report, name="weekly_report"),
    path("incidents/", views_incidents.incident_list, name="incidents"),
    path("incidents/<int:incident_id>/", views_incidents.incident_detail, name="incident"),
]
