from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "rollbook.casework"
    label = "casework"
    verbose_name = "Casework"
