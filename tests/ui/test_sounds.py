"""The till's sounds: the shipped WAV files are what ``tone_wav`` makes, a player runs
off the GUI thread, and a till without audio stays silent after saying so once."""

from __future__ import annotations

import io
import logging
import time
import wave
from collections.abc import Callable
from pathlib import Path

import pytest

from terminal.ui.sounds import TONES, PlayerSounds, sound_files, tone_wav


def _wait_for(check: Callable[[], bool], timeout_s: float = 5.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


@pytest.mark.parametrize("name", sorted(TONES))
def test_the_shipped_sound_is_what_its_tones_make(name: str) -> None:
    shipped = (sound_files() / f"{name}.wav").read_bytes()
    # If this fails after changing TONES: write_sound_files(Path("assets/ui/sounds")).
    assert shipped == tone_wav(TONES[name])
    with wave.open(io.BytesIO(shipped)) as wav:
        assert (wav.getnchannels(), wav.getsampwidth()) == (1, 2)
        seconds = wav.getnframes() / wav.getframerate()
    assert seconds == pytest.approx(sum(ms for _, ms in TONES[name]) / 1000, abs=0.01)


def test_the_beep_is_short_and_the_error_is_longer() -> None:
    ok, error = (sum(ms for _, ms in TONES[n]) for n in ("ok", "error"))
    assert ok <= 100 < error


def test_the_player_plays_each_sound_file(tmp_path: Path) -> None:
    log_file = tmp_path / "played"
    # A stand-in player: records the file it was given (the path arrives as $0).
    sounds = PlayerSounds(["sh", "-c", f'echo "$0" >> {log_file}'])
    sounds.ok()
    _wait_for(lambda: log_file.exists() and log_file.read_text().count("\n") == 1)
    sounds.error()
    _wait_for(lambda: log_file.read_text().count("\n") == 2)
    assert sounds.stop()
    played = [Path(line).name for line in log_file.read_text().splitlines()]
    assert played == ["ok.wav", "error.wav"]


def test_a_failing_player_is_logged_once_then_the_till_is_silent(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    count = tmp_path / "calls"
    sounds = PlayerSounds(["sh", "-c", f'echo x >> {count}; echo "no device" >&2; exit 1'])
    with caplog.at_level(logging.WARNING, logger="terminal.ui.sounds"):
        sounds.error()
        _wait_for(lambda: any("player failed" in r.message for r in caplog.records))
        for _ in range(3):
            sounds.ok()
        assert sounds.stop()
    assert count.read_text().count("x") == 1
    assert sum("player failed" in r.message for r in caplog.records) == 1


def test_no_player_at_all_is_silent(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="terminal.ui.sounds"):
        sounds = PlayerSounds([])
        sounds.ok()
        sounds.error()
    assert sounds.stop()
    assert sum("no audio player" in r.message for r in caplog.records) == 1


def test_playing_never_waits_for_the_player(tmp_path: Path) -> None:
    sounds = PlayerSounds(["sh", "-c", "sleep 1"])
    started = time.monotonic()
    for _ in range(5):
        sounds.ok()
        sounds.error()
    assert time.monotonic() - started < 0.2
    assert sounds.stop(timeout_s=5)
