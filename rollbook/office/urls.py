from django.urls import path

from . import views

app_name = "office"

urlpatterns = [
    path("calls/", views.call_list, name="call_list"),
    path("calls/rows/", views.call_rows, name="call_rows"),
    path("calls/<int:pupil_id>/<str:date>/<str:session>/", views.follow_up, name="follow_up"),
    path("calls/<int:pupil_id>/<str:date>/<str:session>/log/", views.log_call, name="log_call"),
    path("calls/<int:pupil_id>/<str:date>/<str:session>/code/", views.code_absence, name="code_absence"),
    path("pupils/<int:pupil_id>/report-absence/", views.report_absence, name="report_absence"),
    path("open-n/", views.open_n, name="open_n"),
]
