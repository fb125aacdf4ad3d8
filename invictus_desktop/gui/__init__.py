"""The Qt Widgets front end: the only layer that imports PySide6."""
