"""Whether the tests run in CI, where a missing prerequisite (the shared real footage, GStreamer's
RTSP server) must fail the run instead of quietly skipping the checks that need it."""

from __future__ import annotations

import os
from typing import NoReturn

import pytest


def in_ci() -> bool:
    """``CI=true`` (or ``1``), as CI services set it, or ``FOOTAGE_CI`` (set by ``.ci/run``)."""
    return os.environ.get("CI", "").strip().lower() in {"true", "1"} or bool(os.environ.get("FOOTAGE_CI"))


def missing(reason: str) -> NoReturn:
    """Fail in CI, skip elsewhere, with the same reason."""
    if in_ci():
        pytest.fail(f"{reason}; CI must have it (CI or FOOTAGE_CI is set)", pytrace=False)
    pytest.skip(reason)
