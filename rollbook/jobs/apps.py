from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "rollbook.jobs"
    label = "jobs"
    verbose_name = "Scheduled jobs"

    def ready(self) -> None:
        from . import standard

        standard.register()
