"""What a person is doing and looks like, from their track, their pose and the pixels of their
body (pure: NumPy only). ``ground`` learns how tall an upright person is at each place in the
view; ``posture`` names a posture from that, the pose and the motion; ``colours`` names the
colours of clothing."""
