from django.urls import path

from . import parent_views

app_name = "parents"

urlpatterns = [
    path("<int:pupil_id>/", parent_views.child, name="child"),
    path("<int:pupil_id>/report-absence/", parent_views.report_absence, name="report_absence"),
    path("<int:pupil_id>/requests/new/<str:kind>/", parent_views.new_request, name="new_request"),
    path("<int:pupil_id>/requests/<int:request_id>/", parent_views.request_detail, name="request"),
    path("<int:pupil_id>/requests/<int:request_id>/withdraw/", parent_views.withdraw_request, name="withdraw"),
    path("<int:pupil_id>/requests/<int:request_id>/letter.pdf", parent_views.letter_pdf, name="letter"),
]
