"""Name the colours of a person's clothing the way a person would: black, white, grey, red, blue,
dark blue, green, yellow, brown, beige, orange, pink, purple.

The torso (between the shoulders and the hips) and the legs (between the hips and the knees) are
found from the pose's keypoints, or as fixed shares of the box where the pose is missing. Their
pixels go to CIE L*a*b*, which keeps brightness (L*) apart from colour (a*, b*), so a shirt in a
shadow keeps its hue. Brightness is then read against the frame's own range (its 2nd to 98th
percentile), so that a white shirt in a dim scene is still the brightest thing there, and the
median of each channel (robust to a bag strap or a hand) takes the name of the nearest typical
shade (:data:`PROTOTYPES`: a name has several, denim as well as a pure blue).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from footage.types import Box, Pose

__all__ = ["COLOURS", "PROTOTYPES", "FrameLight", "clothing_colour", "colour_name", "frame_light", "to_lab"]

#: every colour name, as stored and searched
COLOURS: tuple[str, ...] = ("black", "white", "grey", "red", "blue", "dark blue", "green", "yellow", "brown",
                            "beige", "orange", "pink", "purple")

Image = npt.NDArray[np.uint8]

_RGB_TO_XYZ = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
_WHITE = np.array([0.9505, 1.0, 1.089])


def to_lab(rgb: npt.NDArray[np.uint8]) -> npt.NDArray[np.float64]:
    """sRGB pixels (..., 3) to CIE L*a*b* (D65)."""
    c = rgb.astype(np.float64) / 255.0
    c = np.where(c > 0.04045, ((c + 0.055) / 1.055) ** 2.4, c / 12.92)
    xyz = c @ _RGB_TO_XYZ.T / _WHITE
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.stack([116 * f[..., 1] - 16, 500 * (f[..., 0] - f[..., 1]), 200 * (f[..., 1] - f[..., 2])], axis=-1)


@dataclass(frozen=True)
class FrameLight:
    """How bright a frame is: the L* of its 2nd and 98th percentile pixels."""

    dark: float
    bright: float


def frame_light(rgb: Image) -> FrameLight:
    """The brightness range of an RGB frame (from every 4th pixel each way)."""
    lightness = to_lab(rgb[::4, ::4].reshape(-1, 3))[:, 0]
    dark, bright = np.percentile(lightness, [2, 98])
    return FrameLight(float(dark), float(bright))


#: the typical shades of each named colour (sRGB), a pure one first and then the dull ones that
#: clothes come in (denim, navy, charcoal, dark brown): a colour takes the name of the nearest
#: shade in L*a*b*
PROTOTYPES: dict[str, tuple[tuple[int, int, int], ...]] = {
    "black": ((20, 20, 20),), "white": ((240, 240, 240),),
    "grey": ((128, 128, 128), (90, 90, 90), (170, 170, 170)), "red": ((190, 30, 35),),
    "blue": ((50, 90, 190), (70, 90, 125)), "dark blue": ((25, 35, 85), (40, 45, 65)),
    "green": ((40, 140, 60),), "yellow": ((230, 210, 50),), "brown": ((110, 70, 40), (80, 60, 45)),
    "beige": ((215, 195, 160),), "orange": ((235, 130, 30),), "pink": ((240, 160, 190),),
    "purple": ((110, 50, 140),),
}
_NAMES = tuple(name for name, shades in PROTOTYPES.items() for _ in shades)
_LAB = to_lab(np.array([[shade for shades in PROTOTYPES.values() for shade in shades]], np.uint8))[0]


def colour_name(lightness: float, a: float, b: float) -> str:
    """The name of a colour given as L* (0-100, read against the scene) and a*, b*: the named
    colour with the nearest typical shade (the CIE 1976 colour difference)."""
    distance = np.hypot(np.hypot(_LAB[:, 0] - lightness, _LAB[:, 1] - a), _LAB[:, 2] - b)
    return _NAMES[int(distance.argmin())]


def _region(box: Box, pose: Pose | None, part: str, min_score: float = 0.25) -> Box:
    x1, y1, x2, y2 = box
    width, height = x2 - x1, y2 - y1
    names = ("left_shoulder", "right_shoulder", "left_hip", "right_hip") if part == "upper" else \
        ("left_hip", "right_hip", "left_knee", "right_knee")
    points = [pose.point(n, min_score) for n in names] if pose is not None else [None]
    if all(p is not None for p in points):
        xs, ys = [p[0] for p in points if p], [p[1] for p in points if p]
        top, bottom, left, right = (ys[0] + ys[1]) / 2, (ys[2] + ys[3]) / 2, min(xs), max(xs)
        if bottom - top > 2 and right - left > 2:
            if part == "upper":  # inside the torso, clear of the arms and the neck
                return (left + 0.2 * (right - left), top + 0.15 * (bottom - top), right - 0.2 * (right - left),
                        bottom - 0.1 * (bottom - top))
            pad = 0.1 * (right - left)
            return left - pad, top + 0.1 * (bottom - top), right + pad, bottom
    if part == "upper":
        return x1 + 0.3 * width, y1 + 0.22 * height, x2 - 0.3 * width, y1 + 0.45 * height
    return x1 + 0.3 * width, y1 + 0.58 * height, x2 - 0.3 * width, y1 + 0.8 * height


def clothing_colour(rgb: Image, box: Box, pose: Pose | None, part: str, light: FrameLight) -> str | None:
    """The colour of the ``upper`` or ``lower`` clothing of the person in ``box`` (pixels of
    ``rgb``, as is ``pose``), or None when the region holds no pixels."""
    left, top, right, bottom = (round(v) for v in _region(box, pose, part))
    left, top = max(left, 0), max(top, 0)
    pixels = rgb[top:max(bottom, top + 1), left:max(right, left + 1)].reshape(-1, 3)
    if len(pixels) == 0:
        return None
    lab = to_lab(pixels)
    span = max(light.bright - light.dark, 1.0)
    lightness = np.clip((lab[:, 0] - light.dark) / span * 100, 0, 100)
    return colour_name(float(np.median(lightness)), float(np.median(lab[:, 1])), float(np.median(lab[:, 2])))
