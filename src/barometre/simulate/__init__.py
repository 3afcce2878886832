"""The seeded synthetic sector used by the demo, the tests and the benchmarks."""

from barometre.simulate.frame import SYNTHETIC_PREFIX, simulate_frame
from barometre.simulate.sector import SimulatedSector, simulate_next_wave, simulate_sector

__all__ = [
    "SYNTHETIC_PREFIX",
    "SimulatedSector",
    "simulate_frame",
    "simulate_next_wave",
    "simulate_sector",
]
