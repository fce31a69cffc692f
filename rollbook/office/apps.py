from django.apps import AppConfig


class OfficeConfig(AppConfig):
    name = "rollbook.office"
    label = "office"
    verbose_name = "Office follow-up"

    def ready(self) -> None:
        from . import jobs

        jobs.register()
