"""What a run did, step by step: the summary a technician reads and the JSON a script
parses. Statuses are a closed set so scripts can rely on them."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


class Status(enum.StrEnum):
    OK = "ok"  # checked, nothing to do (preflight, hardware)
    CHANGED = "changed"  # this run changed something
    UNCHANGED = "unchanged"  # already as it should be
    WARNING = "warning"  # done, but something needs a person's attention
    FAILED = "failed"  # stopped the run
    SKIPPED = "skipped"  # not run (an earlier step failed, or it does not apply)
    DRIFT = "drift"  # --check only: differs from what provisioning would make it


@dataclass
class StepResult:
    name: str
    status: Status
    detail: str = ""
    warnings: list[str] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "status": self.status.value}
        out["detail"] = self.detail
        if self.data:
            out["data"] = self.data
        return out


@dataclass
class Report:
    action: str  # "provision", "check" or "wipe"
    steps: list[StepResult] = field(default_factory=list)
    device_id: str | None = None
    store_id: str | None = None
    exit_code: int = 0
    error: str | None = None
    seconds: float = 0.0

    def add(self, step: StepResult) -> StepResult:
        self.steps.append(step)
        return step

    @property
    def warnings(self) -> list[str]:
        return [warning for step in self.steps for warning in step.warnings]

    def as_dict(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "ok": self.exit_code == 0,
            "exit_code": self.exit_code,
            "error": self.error,
            "device_id": self.device_id,
            "store_id": self.store_id,
            "steps": [step.as_dict() for step in self.steps],
            "warnings": self.warnings,
            "seconds": round(self.seconds, 2),
        }

    def summary(self) -> str:
        width = max((len(step.name) for step in self.steps), default=8)
        lines = [
            f"{step.name:<{width}}  {step.status.value:<9}  {step.detail}" for step in self.steps
        ]
        for warning in self.warnings:
            lines.append(f"warning: {warning}")
        who = f"device {self.device_id} of store {self.store_id}" if self.device_id else "device"
        if self.error:
            lines.append(f"FAILED ({self.exit_code}): {self.error}")
        elif self.action == "check":
            drifted = [s.name for s in self.steps if s.status is Status.DRIFT]
            lines.append(f"drift in: {', '.join(drifted)}" if drifted else f"{who}: no drift")
        else:
            lines.append(f"{who}: {self.action} done in {self.seconds:.1f} s")
        return "\n".join(lines)
