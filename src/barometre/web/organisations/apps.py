from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "barometre.web.organisations"
    label = "organisations"
