"""Draw the app icon (a navy shield with a gold rim and tick) into resources/icons/.

    .venv/bin/python packaging/make_icons.py

Each size is drawn from the vector shapes rather than scaled down from one
bitmap, and small sizes get thicker strokes so the tick still reads at 16 px.
Qt draws the PNGs; Pillow packs them into the Windows .ico and the macOS .icns.
"""

import io
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PIL import Image
from PySide6.QtCore import QBuffer, QPointF, Qt
from PySide6.QtGui import (
    QColor,
    QGuiApplication,
    QImage,
    QLinearGradient,
    QPainter,
    QPainterPath,
    QPen,
)

OUT = Path(__file__).resolve().parent.parent / "resources" / "icons"
NAME = "invictus-desktop"
PNG_SIZES = (16, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_SIZES = (16, 32, 64, 128, 256, 512, 1024)

NAVY_TOP = QColor("#23406e")
NAVY_BOTTOM = QColor("#13254a")
GOLD = QColor("#d4a72c")

# Shapes are laid out on a 512-unit square and scaled to each size.
UNITS = 512
RIM_WIDTH = 24
TICK_WIDTH = 52
TICK = ((156, 262), (230, 336), (362, 196))


def shield_path() -> QPainterPath:
    """A heater shield: flat top with rounded shoulders, sides curving to a point."""
    path = QPainterPath(QPointF(76, 80))
    path.quadTo(QPointF(76, 40), QPointF(116, 40))
    path.lineTo(396, 40)
    path.quadTo(QPointF(436, 40), QPointF(436, 80))
    path.lineTo(436, 236)
    path.cubicTo(QPointF(436, 364), QPointF(358, 444), QPointF(256, 490))
    path.cubicTo(QPointF(154, 444), QPointF(76, 364), QPointF(76, 236))
    path.closeSubpath()
    return path


def stroke_width(units: float, size: int, min_pixels: float) -> float:
    """A stroke in layout units, widened so it stays at least `min_pixels` wide."""
    return max(units, min_pixels * UNITS / size)


def render(size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)

    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.scale(size / UNITS, size / UNITS)

    fill = QLinearGradient(0, 40, 0, 490)
    fill.setColorAt(0, NAVY_TOP)
    fill.setColorAt(1, NAVY_BOTTOM)
    rim = QPen(GOLD, stroke_width(RIM_WIDTH, size, 1.2))
    rim.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(rim)
    painter.setBrush(fill)
    painter.drawPath(shield_path())

    tick = QPen(GOLD, stroke_width(TICK_WIDTH, size, 2.4))
    tick.setCapStyle(Qt.PenCapStyle.RoundCap)
    tick.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(tick)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPolyline([QPointF(x, y) for x, y in TICK])

    painter.end()
    return image


def to_pillow(image: QImage) -> Image.Image:
    buffer = QBuffer()
    buffer.open(QBuffer.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return Image.open(io.BytesIO(bytes(buffer.data()))).convert("RGBA")


def save_set(sizes, path: Path, file_format: str) -> None:
    """Pack one crisp rendering per size, largest first, into an .ico or .icns."""
    images = [to_pillow(render(size)) for size in sorted(sizes, reverse=True)]
    extra = {"sizes": [(s, s) for s in sizes]} if file_format == "ICO" else {}
    images[0].save(path, file_format, append_images=images[1:], **extra)


def main() -> int:
    app = QGuiApplication(sys.argv)  # QPainter needs a GUI application
    OUT.mkdir(parents=True, exist_ok=True)

    for size in PNG_SIZES:
        render(size).save(str(OUT / f"{NAME}-{size}.png"))
    save_set(ICO_SIZES, OUT / f"{NAME}.ico", "ICO")
    save_set(ICNS_SIZES, OUT / f"{NAME}.icns", "ICNS")

    del app
    print(f"Icons written to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
