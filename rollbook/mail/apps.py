from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "rollbook.mail"
    label = "mail"
    verbose_name = "E-mail"
