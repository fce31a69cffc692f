from django.apps import AppConfig


class StatisticsConfig(AppConfig):
    name = "rollbook.statistics"
    label = "statistics"
    verbose_name = "Statistics and reports for leaders and governors"
