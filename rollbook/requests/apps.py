from django.apps import AppConfig


class RequestsConfig(AppConfig):
    name = "rollbook.requests"
    label = "requests"
    verbose_name = "Leave and other requests"

    def ready(self) -> None:
        from rollbook.registers.known import register_source

        from .granted import granted_absences

        register_source(granted_absences)
