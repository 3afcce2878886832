"""`{% wave_comparability wave %}`: why a wave is not compared with the last published wave
before it (`selectors.previous_wave_comparison`), shown where the change since that wave would
be (the referent's dashboard, the operator's page of a wave)."""

from django import template

from barometre.web.campaigns.models import Wave
from barometre.web.campaigns.selectors import WaveComparison, previous_wave_comparison

register = template.Library()


@register.inclusion_tag("includes/comparability.html")
def wave_comparability(wave: Wave) -> dict[str, WaveComparison | None]:
    return {"comparison": previous_wave_comparison(wave)}
