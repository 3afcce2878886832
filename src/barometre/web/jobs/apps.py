from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "barometre.web.jobs"
    label = "jobs"
