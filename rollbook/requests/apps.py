import datetime as dt

from django.apps import AppConfig


class RequestsConfig(AppConfig):
    name = "rollbook.requests"
    label = "requests"
    verbose_name = "Leave and other requests"

    def ready(self) -> None:
        from rollbook.jobs.registry import at_local_time, register_job
        from rollbook.registers.known import register_source

        from .granted import granted_absences
        from .lunchtime import end_expired_leave

        register_source(granted_absences)
        # Every school day before school, so leave from a term that ended is renewed before lunch.
        register_job(
            "lunchtime-leave-renewals", end_expired_leave, due=at_local_time(dt.time(7, 0)), latest_only=True
        )
