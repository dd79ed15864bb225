"""A constant-velocity Kalman filter over box centre, aspect ratio and height.

State (8,): ``cx, cy, aspect, height`` and their velocities, velocities per *step* (one nominal
detection interval). Noise scales with box height so the filter behaves the same for a person
near the camera and one far away. Pure NumPy; every method returns new arrays.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["BoxKalman", "xyah_to_xyxy", "xyxy_to_xyah"]

Vector = npt.NDArray[np.float64]
Matrix = npt.NDArray[np.float64]

_POSITION_STD = 1.0 / 20
_VELOCITY_STD = 1.0 / 160


def xyxy_to_xyah(xyxy: npt.ArrayLike) -> Vector:
    x1, y1, x2, y2 = np.asarray(xyxy, dtype=np.float64)
    height = max(y2 - y1, 1e-3)
    return np.array([(x1 + x2) / 2, (y1 + y2) / 2, (x2 - x1) / height, height])


def xyah_to_xyxy(xyah: Vector) -> Vector:
    cx, cy, aspect, height = xyah[:4]
    width = aspect * height
    return np.array([cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2])


class BoxKalman:
    """Stateless filter: ``initiate``, ``predict`` and ``update`` map (mean, covariance) pairs."""

    def initiate(self, xyah: Vector) -> tuple[Vector, Matrix]:
        mean = np.concatenate([xyah, np.zeros(4)])
        h = xyah[3]
        std = [2 * _POSITION_STD * h, 2 * _POSITION_STD * h, 1e-2, 2 * _POSITION_STD * h,
               10 * _VELOCITY_STD * h, 10 * _VELOCITY_STD * h, 1e-5, 10 * _VELOCITY_STD * h]
        return mean, np.diag(np.square(std))

    def predict(self, mean: Vector, covariance: Matrix, steps: float = 1.0) -> tuple[Vector, Matrix]:
        """Advance by ``steps`` nominal intervals (fractional when frames were skipped)."""
        motion = np.eye(8)
        motion[:4, 4:] = np.eye(4) * steps
        h = mean[3]
        std = [_POSITION_STD * h, _POSITION_STD * h, 1e-2, _POSITION_STD * h,
               _VELOCITY_STD * h, _VELOCITY_STD * h, 1e-5, _VELOCITY_STD * h]
        noise = np.diag(np.square(std)) * max(steps, 1e-3)
        return motion @ mean, motion @ covariance @ motion.T + noise

    def update(self, mean: Vector, covariance: Matrix, xyah: Vector) -> tuple[Vector, Matrix]:
        h = mean[3]
        std = [_POSITION_STD * h, _POSITION_STD * h, 1e-1, _POSITION_STD * h]
        projection = np.eye(4, 8)
        projected_cov = projection @ covariance @ projection.T + np.diag(np.square(std))
        gain = np.linalg.solve(projected_cov, projection @ covariance).T
        innovation = xyah - projection @ mean
        return mean + gain @ innovation, covariance - gain @ projected_cov @ gain.T
