"""The serial retail scale: ``ScaleReader`` (one thread per scale, reconnects by itself),
``FakeScale`` (shows the weights it is given, for demos and app tests),
``PtyScaleSimulator`` (a scale made of a pseudo-terminal, for the real reader without
hardware), and the pure parts they share: the Toledo continuous frame format and the
``Weight`` it carries.

Modules: ``settings`` (``ScaleSettings``), ``toledo`` (bytes -> weights), ``events``,
``listeners`` (``WeightSource``), ``reader``, ``fake``, ``settling``, ``simulator``. No
Qt and no business rules here: listeners get plain readings on the scale's thread, and
what a weight costs is ``terminal.domain.weighing``.
"""

from drivers.scale.events import (
    ConnectionState,
    ScaleProblem,
    ScaleReading,
    ScaleStatus,
    Weight,
    WeightState,
)
from drivers.scale.fake import FakeScale
from drivers.scale.listeners import WeightSource
from drivers.scale.reader import ScaleReader, open_serial_port
from drivers.scale.settings import PROTOCOLS, ScaleSettings, ScaleSettingsError
from drivers.scale.simulator import PtyScaleSimulator, SimulatorError, play_weighings
from drivers.scale.toledo import Decoded, FrameProblem, ToledoFrames

__all__ = [
    "PROTOCOLS",
    "ConnectionState",
    "Decoded",
    "FakeScale",
    "FrameProblem",
    "PtyScaleSimulator",
    "ScaleProblem",
    "ScaleReader",
    "ScaleReading",
    "ScaleSettings",
    "ScaleSettingsError",
    "ScaleStatus",
    "SimulatorError",
    "ToledoFrames",
    "Weight",
    "WeightSource",
    "WeightState",
    "open_serial_port",
    "play_weighings",
]
