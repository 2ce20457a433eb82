"""Capture: running guides in Chromium, drawing and judging their pictures,
the manifest that makes it incremental."""
