from django.apps import AppConfig


class DutiesConfig(AppConfig):
    name = "rollbook.duties"
    label = "duties"
    verbose_name = "Local authority duties and penalty notices"
