from django.apps import AppConfig


class ResponsesConfig(AppConfig):
    name = "barometre.web.responses"
    label = "responses"
