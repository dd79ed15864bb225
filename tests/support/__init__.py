"""What the tests share, in one place (tests import from here, never from each other):

- :mod:`support.ci`: whether this is CI, and the one way a missing prerequisite skips here and fails there;
- :mod:`support.clips`: the bundled sample clip, ``../shared/footage``, encoder arguments for made clips;
- :mod:`support.cli`: the one way to run ``footage`` (in process, or as a process when the process is the point);
- :mod:`support.net` and :mod:`support.web`: free ports, ``footage serve`` in a process, index copies, raw requests;
- :mod:`support.rtsp` (with ``rtsp_camera.py``), :mod:`support.mqtt`: the live tests' cameras and broker;
- :mod:`support.events`, :mod:`support.leaks`, :mod:`support.mot`: synthetic tracks, leak measures, MOT scoring.
"""
