"""The clock rule of the preflight: refuse beyond 60 s, warn beyond 5 s."""

from __future__ import annotations

import pytest

from deploy.provision import exit_codes
from deploy.provision.errors import ProvisionError
from deploy.provision.preflight import clock_offset, judge_offset
from tests.support.provisioning import ModelCloud


@pytest.mark.parametrize("offset", [61.0, -61.0, 3600.0])
def test_clock_far_off_is_refused(offset: float) -> None:
    with pytest.raises(ProvisionError) as refused:
        judge_offset(offset)
    assert refused.value.exit_code == exit_codes.CLOCK
    assert "timedatectl" in str(refused.value)


def test_small_drift_is_a_warning_and_none_is_fine() -> None:
    assert judge_offset(6.0) is not None
    assert judge_offset(-4.0) is None


def test_offset_against_the_real_cloud_is_small(cloud: ModelCloud) -> None:
    # Same machine, same clock: only the Date header's whole seconds separate them.
    assert abs(clock_offset(cloud.url)) <= 1.5
