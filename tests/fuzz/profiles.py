"""How much the fuzz tests try: a few dozen examples each in `make test`, derandomized so that
a run is repeatable; many more, random, with `make fuzz` (HYPOTHESIS_PROFILE=fuzz)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_SLOW_IS_FINE = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]

settings.register_profile(
    "fuzz-quick",
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=_SLOW_IS_FINE,
)
settings.register_profile(
    "fuzz",
    max_examples=1500,
    deadline=None,
    suppress_health_check=_SLOW_IS_FINE,
)

#: The settings of every fuzz test (`@FUZZ`); `FUZZ_SLOW` for tests whose example costs more
#: (the 119 KB hlm-2026 questionnaire).
FUZZ = settings.get_profile(
    "fuzz" if os.environ.get("HYPOTHESIS_PROFILE") == "fuzz" else "fuzz-quick"
)
FUZZ_SLOW = settings(FUZZ, max_examples=max(8, FUZZ.max_examples // 5))
