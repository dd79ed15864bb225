"""ByteTrack-style multi-object tracking tuned for low, uneven frame rates.

The idea of ByteTrack (Zhang et al., 2022): match confident detections to tracks first, then give
the tracks left over a second chance with the low-confidence detections that a plain tracker would
throw away (a person half hidden behind another scores low but is still there). This version adds
what security footage needs: time-aware prediction (frames skipped by the motion gate are not
counted as misses), class-compatible matching (a person never continues a car's track), a track
kept through a few seconds of absence, and confirmation after ``min_hits`` matches.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.optimize import linear_sum_assignment

from footage.geometry import iou_matrix
from footage.labels import class_group
from footage.track.base import TrackUpdate
from footage.track.kalman import BoxKalman, xyah_to_xyxy, xyxy_to_xyah
from footage.track.params import ByteTrackParams
from footage.types import Detections

__all__ = ["ByteTracker"]


@dataclass
class _Track:
    track_id: int
    class_id: int
    mean: npt.NDArray[np.float64]
    covariance: npt.NDArray[np.float64]
    last_time_s: float
    hits: int = 1
    confirmed: bool = False
    lost: bool = False

    def box(self) -> npt.NDArray[np.float32]:
        return xyah_to_xyxy(self.mean).astype(np.float32)


def _widen(xyxy: npt.NDArray[np.float32], buffer: float) -> npt.NDArray[np.float32]:
    """Boxes grown by ``buffer`` times their size on every side (the buffered IoU of C-BIoU,
    Yang et al. 2023): at a few frames a second, a walker's boxes on consecutive samples barely
    overlap, but their widened boxes do."""
    if buffer <= 0:
        return xyxy
    size = xyxy[:, 2:] - xyxy[:, :2]
    return np.concatenate((xyxy[:, :2] - buffer * size, xyxy[:, 2:] + buffer * size), axis=1)


class ByteTracker:
    """Stateful tracker for one recording. Decisions are NumPy; nothing here does I/O.

    ``step_s`` is the nominal time between analysed frames (1 / detection rate): the Kalman
    filter's velocities are per step, and a longer gap predicts proportionally further.
    """

    def __init__(self, params: ByteTrackParams | None = None, *, step_s: float = 0.2) -> None:
        self.params = params or ByteTrackParams()
        self._step_s = step_s
        self._kalman = BoxKalman()
        self._tracks: list[_Track] = []
        self._next_id = 1
        self._last_time_s: float | None = None

    def hold(self, time_s: float) -> None:
        """The scene at ``time_s`` is unchanged since the last update: time stands still for the
        tracks. Without this, a parked car would be predicted to drift along its noisy velocity
        estimate for the length of a still stretch, and every track unseen at its start would
        end for having been away too long."""
        if self._last_time_s is None or time_s <= self._last_time_s:
            return
        held = time_s - self._last_time_s
        for track in self._tracks:
            track.last_time_s += held
        self._last_time_s = time_s

    def visible_ids(self) -> frozenset[int]:
        return frozenset(t.track_id for t in self._tracks if t.confirmed and not t.lost)

    def finish(self) -> tuple[int, ...]:
        ended = tuple(t.track_id for t in self._tracks if t.confirmed)
        self._tracks = []
        return ended

    def update(self, detections: Detections, time_s: float) -> TrackUpdate:
        p = self.params
        last = self._last_time_s
        first = last is None
        steps = 1.0 if last is None else max(time_s - last, 0.0) / self._step_s
        self._last_time_s = time_s
        for track in self._tracks:
            track.mean, track.covariance = self._kalman.predict(track.mean, track.covariance, steps)

        keep = detections.confidence >= p.low_threshold
        detections = detections[keep]
        high = np.flatnonzero(detections.confidence >= p.high_threshold)
        low = np.flatnonzero(detections.confidence < p.high_threshold)
        matched: dict[int, int] = {}  # detection row -> track index

        established = [i for i, t in enumerate(self._tracks) if t.confirmed]
        tentative = [i for i, t in enumerate(self._tracks) if not t.confirmed]
        # 1. confident detections against every established track, in view or lost
        pairs, high = self._associate(established, high, detections, p.match_iou)
        matched.update(pairs)
        used = set(pairs.values())
        # 2. the low-confidence detections rescue established tracks still in view
        in_view = [i for i in established if i not in used and not self._tracks[i].lost]
        pairs, _ = self._associate(in_view, low, detections, p.low_match_iou)
        matched.update(pairs)
        # 3. new tracks waiting for confirmation take confident leftovers
        pairs, high = self._associate(tentative, high, detections, p.tentative_match_iou)
        matched.update(pairs)

        track_ids = np.full(len(detections), -1, dtype=np.int64)
        for row, index in matched.items():
            track = self._tracks[index]
            xyah = xyxy_to_xyah(detections.xyxy[row])
            track.mean, track.covariance = self._kalman.update(track.mean, track.covariance, xyah)
            track.last_time_s = time_s
            track.hits += 1
            track.lost = False
            track.confirmed = track.confirmed or track.hits >= p.min_hits
            track_ids[row] = track.track_id

        matched_tracks = set(matched.values())
        ended: list[int] = []
        survivors: list[_Track] = []
        for index, track in enumerate(self._tracks):
            if index in matched_tracks:
                survivors.append(track)
            elif not track.confirmed:
                continue  # a tentative track missed once is noise; it never counted
            elif time_s - track.last_time_s > p.lost_buffer_s:
                ended.append(track.track_id)
            else:
                track.lost = True
                survivors.append(track)
        # what is in view at the first frame was there before the recording began (the previous
        # file of the camera, often): it starts established, without waiting for a second match
        for row in high.tolist():
            if detections.confidence[row] >= p.new_track_threshold:
                survivors.append(self._start(detections, row, time_s))
                survivors[-1].confirmed = survivors[-1].confirmed or first
                track_ids[row] = survivors[-1].track_id
        self._tracks = survivors

        tracked_rows = track_ids >= 0
        confirmed = frozenset(t.track_id for t in self._tracks if t.confirmed and not t.lost)
        return TrackUpdate(detections[tracked_rows].with_track_ids(track_ids[tracked_rows]), confirmed, tuple(ended))

    def _start(self, detections: Detections, row: int, time_s: float) -> _Track:
        mean, covariance = self._kalman.initiate(xyxy_to_xyah(detections.xyxy[row]))
        track = _Track(self._next_id, int(detections.class_id[row]), mean, covariance, time_s)
        track.confirmed = self.params.min_hits <= 1
        self._next_id += 1
        return track

    def _associate(
        self, track_indices: list[int], rows: npt.NDArray[np.intp], detections: Detections, min_iou: float
    ) -> tuple[dict[int, int], npt.NDArray[np.intp]]:
        """Hungarian matching on IoU between predicted track boxes and detection rows; returns
        {row: track index} and the rows left unmatched."""
        if not track_indices or len(rows) == 0:
            return {}, rows
        boxes = np.stack([self._tracks[i].box() for i in track_indices])
        buffer = self.params.box_buffer
        iou = iou_matrix(_widen(boxes, buffer), _widen(detections.xyxy[rows], buffer))
        groups = np.array([class_group(self._tracks[i].class_id) for i in track_indices])
        det_groups = np.array([class_group(int(c)) for c in detections.class_id[rows]])
        iou[groups[:, None] != det_groups[None, :]] = 0.0
        track_pos, det_pos = linear_sum_assignment(-iou)
        pairs = {int(rows[d]): track_indices[t] for t, d in zip(track_pos, det_pos, strict=True) if iou[t, d] >= min_iou}
        left = np.array([r for r in rows if int(r) not in pairs], dtype=np.intp)
        return pairs, left
