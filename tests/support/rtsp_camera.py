"""A camera for the live tests: GStreamer's own RTSP server playing an H.264 MP4 file at ``/cam``.

Run by Debian's ``/usr/bin/python3`` (PyGObject and GstRtspServer come from Debian packages, not
the virtual environment), started and killed by :mod:`support.rtsp`:

    /usr/bin/python3 rtsp_camera.py PORT CLIP [USER PASSWORD]

Each client gets its own pipeline, paced by the clock as a camera sends; a user and password make
``/cam`` ask for them (HTTP Basic, as cheap cameras do), and any other path is 404. It prints
``listening`` once the server is attached; then it runs until it is killed.
"""

import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402


def factory_for(clip: str) -> GstRtspServer.RTSPMediaFactory:
    factory = GstRtspServer.RTSPMediaFactory()
    # config-interval=-1: parameter sets before every keyframe, as IP cameras send them
    quoted = clip.replace("\\", "\\\\").replace('"', '\\"')
    factory.set_launch(f'( filesrc location="{quoted}" ! qtdemux ! h264parse ! rtph264pay name=pay0 pt=96 config-interval=-1 )')
    return factory


def lock(server: GstRtspServer.RTSPServer, factory: GstRtspServer.RTSPMediaFactory, user: str, password: str) -> None:
    auth = GstRtspServer.RTSPAuth()
    token = GstRtspServer.RTSPToken()
    token.set_string(GstRtspServer.RTSP_TOKEN_MEDIA_FACTORY_ROLE, "viewer")
    auth.add_basic(GstRtspServer.RTSPAuth.make_basic(user, password), token)
    server.set_auth(auth)
    permissions = GstRtspServer.RTSPPermissions()
    permissions.add_permission_for_role("viewer", GstRtspServer.RTSP_PERM_MEDIA_FACTORY_ACCESS, True)
    permissions.add_permission_for_role("viewer", GstRtspServer.RTSP_PERM_MEDIA_FACTORY_CONSTRUCT, True)
    factory.set_permissions(permissions)


def main(argv: list[str]) -> int:
    port, clip, *credentials = argv
    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(port)
    factory = factory_for(clip)
    if credentials:
        lock(server, factory, *credentials)
    server.get_mount_points().add_factory("/cam", factory)
    if server.attach(None) == 0:
        print(f"cannot listen on 127.0.0.1:{port}", file=sys.stderr, flush=True)
        return 1
    print("listening", flush=True)
    GLib.MainLoop().run()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
