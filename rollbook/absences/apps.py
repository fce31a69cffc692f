from django.apps import AppConfig


class AbsencesConfig(AppConfig):
    name = "rollbook.absences"
    label = "absences"
    verbose_name = "Absence reports"

    def ready(self) -> None:
        from rollbook.registers.known import register_source

        from .services import reported_absences

        register_source(reported_absences)
