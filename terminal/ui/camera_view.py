"""``CameraView``: the live camera picture on the customer screen, with the face boxes and
the guidance under it.

The picture is drawn scaled to fit with its aspect ratio kept; the boxes of the latest
``FaceOverlay`` are scaled from the overlay's frame size onto the same rectangle, so
they sit on the face whatever the widget's size. The guidance (a message id from the
overlay, else the hint the window set) is translated at paint time and drawn in a band
under the picture.

Cheap on the GUI thread: a frame is wrapped once (one contiguous copy) when it arrives and
scaled only by the painter. Boxes are dropped once ``STALE_AFTER_FRAMES`` newer pictures
were shown without a new overlay (about a second at the window's polling rate), so a face
worker that stops does not leave a box standing on an empty picture; counting pictures
rather than seconds keeps a still picture (a screenshot, a test) with its boxes.

What must not live here: deciding anything about faces; reading the camera (the window
polls the ``FramePump`` and hands frames in).
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QStyle, QStyleOption, QWidget

from drivers.camera import Image
from terminal.app.customer_panel import FaceOverlay
from terminal.ui.strings import Strings

STALE_AFTER_FRAMES = 15
# Box colours are part of the picture, not of the theme: the primary face (the one being
# paid for) in green, any other face in orange, as on the payment terminals people know.
PRIMARY_BOX = QColor("#2ecc71")
OTHER_BOX = QColor("#f39c12")
BAND_BACKGROUND = QColor(0, 0, 0, 170)
BAND_TEXT = QColor("#ffffff")
BOX_PEN_PX = 4


class CameraView(QWidget):
    """See the module docstring; ``show_frame``/``show_image`` and ``show_overlay`` in."""

    def __init__(self, strings: Strings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cameraView")
        # Lets assets/ui/customer.qss give the view its background and rounded corners.
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setMinimumSize(360, 270)
        self._strings = strings
        self._image: QImage | None = None
        self._pixels: bytes = b""  # the buffer self._image wraps; kept alive with it
        self._overlay: FaceOverlay | None = None
        self._frames_since_overlay = 0
        self._hint_id = ""
        self._placeholder = ""

    # -- state in ----------------------------------------------------------------

    def show_frame(self, frame: Image) -> None:
        """A BGR camera frame (height x width x 3, uint8), as the pump hands it out."""
        height, width = frame.shape[:2]
        # The pump's frame is shared and read-only: one contiguous copy for QImage to wrap.
        pixels = frame.tobytes()
        image = QImage(pixels, width, height, width * 3, QImage.Format.Format_BGR888)
        self._pixels = pixels
        self.show_image(image)

    def show_image(self, image: QImage) -> None:
        self._image = image
        self._frames_since_overlay += 1
        self.update()

    def clear_image(self) -> None:
        self._image, self._pixels = None, b""
        self.update()

    def show_overlay(self, overlay: FaceOverlay | None) -> None:
        self._overlay = overlay
        self._frames_since_overlay = 0
        self.update()

    def set_hint(self, msg_id: str) -> None:
        """What the band says while the overlay has no guidance of its own."""
        if msg_id != self._hint_id:
            self._hint_id = msg_id
            self.update()

    def set_placeholder(self, text: str) -> None:
        """Shown in the middle while there is no picture (already translated)."""
        if text != self._placeholder:
            self._placeholder = text
            self.update()

    # -- what is drawn -------------------------------------------------------------

    @property
    def overlay(self) -> FaceOverlay | None:
        return self._overlay

    def guidance_text(self) -> str:
        overlay = self._overlay
        guidance = overlay.guidance if overlay is not None and self._overlay_fresh() else ""
        return self._strings.message(guidance or self._hint_id)

    def band_height(self) -> int:
        # Room for two lines: the longer hints wrap on a portrait-ish side column.
        return self.fontMetrics().lineSpacing() * 2 + 16

    def picture_rect(self) -> QRectF:
        """Where the picture is drawn: fitted, centred, above the guidance band."""
        area = QRectF(self.rect()).adjusted(0, 0, 0, -self.band_height())
        image = self._image
        if image is None or image.isNull() or area.width() <= 0 or area.height() <= 0:
            return QRectF()
        size = QSize(image.width(), image.height()).scaled(
            area.size().toSize(), Qt.AspectRatioMode.KeepAspectRatio
        )
        left = area.left() + (area.width() - size.width()) / 2
        top = area.top() + (area.height() - size.height()) / 2
        return QRectF(left, top, size.width(), size.height())

    def box_rects(self) -> list[tuple[QRectF, bool]]:
        """The overlay's boxes in widget coordinates, with whether each is the primary."""
        overlay, picture = self._overlay, self.picture_rect()
        if overlay is None or picture.isEmpty() or not self._overlay_fresh():
            return []
        if overlay.frame_width <= 0 or overlay.frame_height <= 0:
            return []
        sx = picture.width() / overlay.frame_width
        sy = picture.height() / overlay.frame_height
        return [
            (
                QRectF(
                    picture.left() + box.x * sx,
                    picture.top() + box.y * sy,
                    box.width * sx,
                    box.height * sy,
                ).intersected(picture),
                box.primary,
            )
            for box in overlay.boxes
        ]

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        option = QStyleOption()
        option.initFrom(self)
        self.style().drawPrimitive(QStyle.PrimitiveElement.PE_Widget, option, painter, self)
        picture = self.picture_rect()
        if self._image is not None and not picture.isEmpty():
            painter.drawImage(picture, self._image)
            # Others first, so the primary's box is on top where two overlap.
            for rect, primary in sorted(self.box_rects(), key=lambda item: item[1]):
                pen = QPen(PRIMARY_BOX if primary else OTHER_BOX, BOX_PEN_PX)
                pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
                painter.setPen(pen)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                inset = BOX_PEN_PX / 2
                painter.drawRect(rect.adjusted(inset, inset, -inset, -inset))
        elif self._placeholder:
            painter.setPen(self.palette().color(self.foregroundRole()))
            painter.drawText(
                QRectF(self.rect()),
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                self._placeholder,
            )
        text = self.guidance_text()
        if text:
            band = QRectF(self.rect()).adjusted(0, self.height() - self.band_height(), 0, 0)
            painter.fillRect(band, BAND_BACKGROUND)
            painter.setPen(BAND_TEXT)
            painter.drawText(
                band.adjusted(12, 4, -12, -4),
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                text,
            )
        painter.end()

    def _overlay_fresh(self) -> bool:
        return self._frames_since_overlay <= STALE_AFTER_FRAMES
