"""When a payment code the camera sees may be charged: only inside the step the cashier
or customer opened, for that sale, before it times out, and once."""

from __future__ import annotations

from terminal.app.code_step import CodeStep


def test_no_step_no_charge() -> None:
    assert not CodeStep().take("S-0001", now=0.0)


def test_an_open_step_takes_one_code_for_its_sale() -> None:
    step = CodeStep(step_s=30)
    step.open("S-0001", now=100.0)
    assert step.is_open(now=110.0)
    assert not step.take("S-0002", now=110.0)  # another sale on screen by now
    assert step.take("S-0001", now=110.0)
    assert not step.take("S-0001", now=111.0)  # a second code needs a new step
    assert not step.is_open(now=111.0)


def test_a_step_times_out() -> None:
    step = CodeStep(step_s=30)
    step.open("S-0001", now=100.0)
    assert not step.take("S-0001", now=130.0)


def test_closing_the_step_refuses_what_follows() -> None:
    step = CodeStep()
    step.open(None, now=0.0)
    step.close()
    assert not step.take(None, now=1.0)
