"""Live cameras: record RTSP streams into segments, and keep up with them."""
