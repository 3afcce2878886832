from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "barometre.web.campaigns"
    label = "campaigns"
