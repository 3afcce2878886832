from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "barometre.web.audit"
    label = "audit"
