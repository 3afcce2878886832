from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "barometre.web.api"
    label = "api"
