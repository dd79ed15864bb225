"""The one package that imports PyAV: FFmpeg behind a few small types of footage's own.

``input`` opens files and RTSP URLs (:class:`~footage.media.input.Input`: the video stream, its
packets from one demux loop, its decoder); ``pictures`` turns decoded frames into NumPy arrays
and back (scaled by FFmpeg, one scaler kept per use); ``output`` writes MP4 files by stream copy;
``h264`` holds the x264 sessions (a clip's independent pieces, a browser copy); ``edit_list``
cuts an MP4's presentation without touching its samples. ``errors`` is the one place where
PyAV's exceptions become footage's (:mod:`footage.errors`).

Packets and frames cross this boundary as opaque objects (:data:`~footage.media.input.Packet`,
:data:`~footage.media.input.VideoFrame`): callers read their timestamps and flags, and hand them
back to this package to decode, scale, encode or mux; pixels leave it as NumPy arrays.
"""
