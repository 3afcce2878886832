from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    name = "barometre.web.backoffice"
    label = "backoffice"
