from django.apps import AppConfig


class AnalysisConfig(AppConfig):
    name = "rollbook.analysis"
    label = "analysis"
    verbose_name = "Attendance analysis"
