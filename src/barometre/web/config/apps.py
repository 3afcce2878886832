from django.apps import AppConfig


class ConfigConfig(AppConfig):
    """The site's own configuration: deployment checks (`check --deploy`) and the template
    filter that lets trusted inline SVG through the Content-Security-Policy."""

    name = "barometre.web.config"
    label = "barometre_config"

    def ready(self) -> None:
        from barometre.web.config import checks  # noqa: F401  (registers the checks)
