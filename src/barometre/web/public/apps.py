from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "barometre.web.public"
    label = "public"
