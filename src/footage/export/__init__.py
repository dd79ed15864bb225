"""Cut, redact and share clips of moments."""
