from django.urls import path

from . import views

app_name = "statistics"

urlpatterns = [
    path("benchmarks/", views.benchmarks, name="benchmarks"),
    path("policies/", views.policy_comparison, name="policies"),
    path("governors/", views.governors_report, name="governors"),
    path("spreadsheet/", views.spreadsheet, name="spreadsheet"),
]
