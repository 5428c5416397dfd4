"""How a weight arrives on a scale, for the fake and the simulator: ``settling`` gives the
readings of an item put down (a few unstable ones closing in on the weight, then
stable ones).

Deterministic for a given ``rng``, so a demo or a test can replay it. What must not
live here: frames, ports, threads.
"""

from __future__ import annotations

import random

from drivers.scale.events import Weight


def settling(
    grams: int,
    *,
    unstable: int = 5,
    stable: int = 3,
    rng: random.Random | None = None,
    tare_grams: int = 0,
) -> list[Weight]:
    """``unstable`` moving readings that overshoot and close in on ``grams``, then
    ``stable`` readings of exactly ``grams`` (net when there is a tare)."""
    rng = rng or random.Random(grams)
    net = tare_grams > 0
    readings: list[Weight] = []
    for step in range(unstable, 0, -1):
        # The swing shrinks as the pan settles; never the final value while moving.
        swing = max(1, abs(grams) * step // (unstable * 4) + rng.randint(1, 5))
        moving = grams + (swing if step % 2 else -swing)
        readings.append(Weight.of(moving, stable=False, net=net, tare_grams=tare_grams))
    readings += [Weight.of(grams, net=net, tare_grams=tare_grams)] * stable
    return readings
