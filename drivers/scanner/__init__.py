"""The serial barcode scanner: ``ScannerReader`` (one thread per device, reconnects by
itself), ``FakeScanner`` (types scans, for demos and app tests), ``PtyScannerSimulator``
(a scanner made of a pseudo-terminal, for the real reader without hardware), and the
pure parts they share: framing, AIM identifiers, duplicate suppression.

Modules: ``settings`` (``ScannerSettings``), ``framing`` (bytes -> lines), ``aim``
(``]E0`` prefixes), ``duplicates``, ``events``, ``listeners``, ``reader``, ``fake``,
``simulator``. No Qt and no business rules here: listeners get plain events on the
scanner's thread and decide what a scan means elsewhere.
"""

from drivers.scanner.aim import AimSplit, split_aim, symbology_name
from drivers.scanner.duplicates import DuplicateFilter
from drivers.scanner.events import ConnectionState, ScanEvent, ScannerProblem, ScannerStatus
from drivers.scanner.fake import FakeScanner
from drivers.scanner.framing import Framed, FramingProblem, LineAssembler
from drivers.scanner.listeners import ScanSource
from drivers.scanner.reader import ScannerReader, open_serial_port
from drivers.scanner.settings import (
    TRIGGER_START,
    TRIGGER_STOP,
    ScannerSettings,
    ScannerSettingsError,
)
from drivers.scanner.simulator import PtyScannerSimulator, SimulatorError, type_scans

__all__ = [
    "TRIGGER_START",
    "TRIGGER_STOP",
    "AimSplit",
    "ConnectionState",
    "DuplicateFilter",
    "FakeScanner",
    "Framed",
    "FramingProblem",
    "LineAssembler",
    "PtyScannerSimulator",
    "ScanEvent",
    "ScanSource",
    "ScannerProblem",
    "ScannerReader",
    "ScannerSettings",
    "ScannerSettingsError",
    "ScannerStatus",
    "SimulatorError",
    "open_serial_port",
    "split_aim",
    "symbology_name",
    "type_scans",
]
