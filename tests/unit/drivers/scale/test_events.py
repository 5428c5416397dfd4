"""Weight: its state always agrees with its grams, and an out-of-range weight has none."""

from __future__ import annotations

import pytest

from drivers.scale.events import Weight, WeightState


@pytest.mark.parametrize(
    ("grams", "state"),
    [(385, WeightState.POSITIVE), (0, WeightState.ZERO), (-20, WeightState.NEGATIVE)],
)
def test_of_names_the_state_of_the_grams(grams: int, state: WeightState) -> None:
    weight = Weight.of(grams)
    assert (weight.state, weight.grams, weight.stable) == (state, grams, True)
    assert not weight.overload and not weight.underload


def test_out_of_range_has_no_grams() -> None:
    over, under = Weight.out_of_range(over=True), Weight.out_of_range(over=False, stable=False)
    assert (over.state, over.grams, over.overload, over.underload) == (
        WeightState.OVERLOAD,
        None,
        True,
        False,
    )
    assert (under.state, under.grams, under.underload, under.stable) == (
        WeightState.UNDERLOAD,
        None,
        True,
        False,
    )


@pytest.mark.parametrize(
    ("state", "grams"),
    [
        (WeightState.POSITIVE, 0),
        (WeightState.ZERO, 5),
        (WeightState.NEGATIVE, 5),
        (WeightState.POSITIVE, None),
        (WeightState.OVERLOAD, 100),
        (WeightState.UNDERLOAD, 0),
    ],
)
def test_a_state_that_contradicts_the_grams_is_refused(
    state: WeightState, grams: int | None
) -> None:
    with pytest.raises(ValueError):
        Weight(state, grams, stable=True)


def test_a_negative_tare_is_refused() -> None:
    with pytest.raises(ValueError, match="tare"):
        Weight.of(100, tare_grams=-1)


def test_weights_compare_by_value_so_a_repeat_is_no_change() -> None:
    assert Weight.of(385, stable=False) != Weight.of(385)
    assert Weight.of(385) == Weight.of(385)
