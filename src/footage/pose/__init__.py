"""Body pose of tracked people: the :class:`PoseEstimator` interface and the model behind it.

``load_pose_estimator`` picks a model by name; a missing or damaged model file is a
:class:`~footage.errors.ModelError` with one line naming it, and indexing goes on without pose
(posture then falls back to the box's shape).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from footage.errors import ConfigError, ModelError
from footage.pose.base import PoseEstimator
from footage.pose.params import PoseParams

__all__ = ["ESTIMATORS", "PoseEstimator", "load_pose_estimator", "pose_state", "shared_pose_estimator"]

log = logging.getLogger(__name__)


def _movenet() -> PoseEstimator:
    from footage.pose.movenet import MoveNet

    return MoveNet()


#: pose models by name
ESTIMATORS: dict[str, Callable[[], PoseEstimator]] = {"movenet": _movenet}


def load_pose_estimator(name: str = "movenet") -> PoseEstimator:
    """The pose estimator called ``name``."""
    try:
        factory = ESTIMATORS[name]
    except KeyError:
        raise ConfigError(f"unknown pose model {name!r}; known: {', '.join(ESTIMATORS)}") from None
    return factory()


_loaded: dict[str, PoseEstimator | None] = {}


def shared_pose_estimator(name: str) -> PoseEstimator | None:
    """The estimator ``name``, loaded once per process (every chunk and file indexed by it
    shares it), or None when its model cannot be loaded: then one warning says so and indexing
    goes on without pose."""
    if name not in _loaded:
        try:
            _loaded[name] = load_pose_estimator(name)
        except (ModelError, ConfigError) as exc:
            log.warning("no pose (%s): %s", exc, FALLBACK)
            _loaded[name] = None
    return _loaded[name]


#: what indexing does without pose
FALLBACK = "posture falls back to the box's height and motion, and no clothing colour is read"


def pose_state(params: PoseParams) -> str:
    """One line for ``footage status``: the pose model indexing uses, or why none and what then."""
    if not params.enabled:
        return f"off ([pose] enabled = false): {FALLBACK}"
    try:
        return f"{load_pose_estimator(params.model).name}, each person at most every {params.every_s:g} s"
    except (ModelError, ConfigError) as exc:
        return f"unavailable ({exc}): {FALLBACK}"
