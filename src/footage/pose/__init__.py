"""Body pose of tracked people: the :class:`PoseEstimator` interface and the model behind it.

``load_pose_estimator`` picks a model by name; a missing or damaged model file is a
:class:`~footage.errors.ModelError` with one line naming it, and indexing goes on without pose
(posture then falls back to the box's shape).
"""

from __future__ import annotations

from collections.abc import Callable

from footage.errors import ConfigError
from footage.pose.base import PoseEstimator

__all__ = ["ESTIMATORS", "PoseEstimator", "load_pose_estimator"]


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
