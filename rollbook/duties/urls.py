from django.urls import path

from . import penalty_views, views

app_name = "duties"

urlpatterns = [
    path("", views.index, name="index"),
    path("notifications/prepare/<int:pupil_id>/<str:kind>/", views.prepare_notification, name="prepare_notification"),
    path("notifications/<int:notification_id>/", views.notification, name="notification"),
    path("notifications/<int:notification_id>/csv/", views.notification_csv, name="notification_csv"),
    path("pupils/<int:pupil_id>/long-health-absence/", views.long_health_absence, name="long_health_absence"),
    path("removals/open/<int:pupil_id>/", views.open_removal_review, name="open_removal"),
    path("removals/<int:review_id>/", views.removal_review, name="removal"),
    path("removals/<int:review_id>/decide/", views.decide_removal, name="decide_removal"),
    path("removals/<int:review_id>/return/csv/", views.deletion_return_csv, name="deletion_return_csv"),
    path("removals/<int:review_id>/return/sent/", views.deletion_return_sent, name="deletion_return_sent"),
    path("penalties/<int:pupil_id>/", penalty_views.pupil_penalties, name="penalties"),
    path("penalties/<int:pupil_id>/evidence-pack/", penalty_views.evidence_pack, name="evidence_pack"),
    path("notices/<int:notice_id>/", penalty_views.notice, name="notice"),
]
