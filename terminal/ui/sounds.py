"""The till's sounds: a short beep for an accepted scan, a low double buzz for a refused
one, so a cashier who is looking at the goods, not the screen, still notices a miss.

``Sounds`` is the interface the cashier window uses (``ok()``, ``error()``). Three
implementations plug in where it is asked for:
- ``PlayerSounds`` plays the WAV files of ``assets/ui/sounds`` with the first command-line
  player found (PipeWire's ``pw-play``, PulseAudio's ``paplay``, ALSA's ``aplay``) on a
  thread of its own, newest sound only, so the GUI thread never waits for audio. Qt
  Multimedia is not in the PySide6-Essentials wheel, hence the external player. No
  player, no audio device or a failing player: silence, logged once.
- ``RecordingSounds`` plays nothing and records what was asked for (tests, screenshots).
- ``tone_wav`` makes the WAV bytes; the files in ``assets/ui/sounds`` are its output for
  ``TONES`` (a test checks they match, so changing a tone means rewriting its file with
  ``write_sound_files``).

What must not live here: deciding when to sound (the window does), Qt.
"""

from __future__ import annotations

import contextlib
import io
import logging
import math
import queue
import shutil
import struct
import subprocess
import threading
import wave
from collections.abc import Sequence
from importlib.resources import as_file, files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Protocol

from terminal.resources import ASSETS_PACKAGE

log = logging.getLogger(__name__)

RATE = 16_000  # Hz, mono, 16-bit: plenty for a beep, small files
# name -> tones, each (frequency Hz, milliseconds); frequency 0 is a pause.
TONES: dict[str, tuple[tuple[int, int], ...]] = {
    "ok": ((1760, 70),),
    "error": ((330, 160), (0, 60), (262, 260)),
}
# Command-line players, the first found is used; each takes the file as its last argument.
PLAYERS: tuple[tuple[str, ...], ...] = (("pw-play",), ("paplay",), ("aplay", "-q"))
PLAY_TIMEOUT_S = 5.0


class Sounds(Protocol):
    def ok(self) -> None:
        """An accepted scan."""

    def error(self) -> None:
        """A refused scan, or any error the cashier must look at."""


def sound_files() -> Traversable:
    """The folder of the WAV files (``assets/ui/sounds``), as package data."""
    return files(ASSETS_PACKAGE) / "ui" / "sounds"


def tone_wav(tones: Sequence[tuple[int, int]], *, volume: float = 0.5) -> bytes:
    """A mono 16-bit WAV of ``tones`` ((Hz, ms); 0 Hz is silence), each faded in and out
    over 5 ms so it starts and stops without a click. Deterministic: same tones, same
    bytes."""
    fade = RATE * 5 // 1000
    samples: list[int] = []
    for frequency, ms in tones:
        count = RATE * ms // 1000
        for i in range(count):
            if frequency == 0:
                samples.append(0)
                continue
            envelope = min(1.0, i / fade, (count - 1 - i) / fade)
            value = volume * envelope * math.sin(2 * math.pi * frequency * i / RATE)
            samples.append(round(value * 32767))
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes(struct.pack(f"<{len(samples)}h", *samples))
    return out.getvalue()


def write_sound_files(folder: Path) -> list[Path]:
    """Write every sound of ``TONES`` as ``<name>.wav`` into ``folder`` (the assets)."""
    written = []
    for name, tones in TONES.items():
        path = folder / f"{name}.wav"
        path.write_bytes(tone_wav(tones))
        written.append(path)
    return written


class RecordingSounds:
    """Plays nothing; ``played`` lists what was asked for, in order."""

    def __init__(self) -> None:
        self.played: list[str] = []

    def ok(self) -> None:
        self.played.append("ok")

    def error(self) -> None:
        self.played.append("error")


class PlayerSounds:
    """Plays through a command-line player on its own thread; see the module docstring."""

    def __init__(self, player: Sequence[str] | None = None) -> None:
        self._player = list(player) if player is not None else _find_player()
        self._queue: queue.Queue[str | None] = queue.Queue(maxsize=1)
        self._thread: threading.Thread | None = None
        self._failed = False  # logged once; a till without audio stays silent
        if not self._player:
            self._give_up("no audio player found", looked_for=[p[0] for p in PLAYERS])

    def ok(self) -> None:
        self._play("ok")

    def error(self) -> None:
        self._play("error")

    def stop(self, timeout_s: float = 2.0) -> bool:
        """End the player thread (a sound playing is let finish, up to its timeout)."""
        thread = self._thread
        if thread is None:
            return True
        self._drop_waiting()
        self._queue.put(None)
        thread.join(timeout_s)
        return not thread.is_alive()

    def _play(self, name: str) -> None:
        if self._failed:
            return
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="sounds", daemon=True)
            self._thread.start()
        # Newest only: a sound that has not started yet is replaced, never queued up.
        self._drop_waiting()
        with contextlib.suppress(queue.Full):
            self._queue.put_nowait(name)

    def _drop_waiting(self) -> None:
        with contextlib.suppress(queue.Empty):
            self._queue.get_nowait()

    def _run(self) -> None:
        while (name := self._queue.get()) is not None:
            if not self._failed:
                self._play_now(name)

    def _play_now(self, name: str) -> None:
        try:
            with as_file(sound_files() / f"{name}.wav") as path:
                result = subprocess.run(
                    [*self._player, str(path)],
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.PIPE,
                    timeout=PLAY_TIMEOUT_S,
                    check=False,
                )
        except (OSError, subprocess.SubprocessError) as exc:
            self._give_up("sound player failed", error=str(exc))
            return
        if result.returncode != 0:
            detail = result.stderr.decode(errors="replace").strip()[-200:]
            self._give_up("sound player failed", code=result.returncode, error=detail)

    def _give_up(self, what: str, **fields: object) -> None:
        self._failed = True
        log.warning(f"{what}: the till stays silent", extra={"player": self._player, **fields})


def _find_player() -> list[str]:
    for command in PLAYERS:
        if shutil.which(command[0]) is not None:
            return list(command)
    return []
