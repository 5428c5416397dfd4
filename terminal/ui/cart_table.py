"""``CartTable``: the lines of a ``SaleView`` as a read-only table, for both screens.

It shows what the view says and nothing more: voided lines stay visible, struck out,
because the customer saw them go in; the line the last intent touched is selected so
the cashier's eye lands on it. The customer window uses the same widget with fewer
columns and bigger type (set in QSS by object name).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from terminal.app.sale_view import LineView, SaleView
from terminal.domain.money import format_cents
from terminal.ui.strings import Strings

CASHIER_COLUMNS = ("col.line", "col.name", "col.qty", "col.price", "col.amount", "col.status")
CUSTOMER_COLUMNS = ("col.name", "col.qty", "col.amount")
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class CartTable(QTableWidget):
    def __init__(
        self, strings: Strings, columns: tuple[str, ...], parent: QWidget | None = None
    ) -> None:
        super().__init__(0, len(columns), parent)
        self._strings = strings
        self._columns = columns
        self._view: SaleView | None = None
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # Keyboard focus stays in the scan field, where a wedge scanner types.
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.verticalHeader().setVisible(False)
        self.setWordWrap(False)
        header = self.horizontalHeader()
        for index, column in enumerate(columns):
            mode = (
                QHeaderView.ResizeMode.Stretch
                if column == "col.name"
                else QHeaderView.ResizeMode.ResizeToContents
            )
            header.setSectionResizeMode(index, mode)
        self.retranslate()

    def retranslate(self) -> None:
        self.setHorizontalHeaderLabels([self._strings.text(c) for c in self._columns])
        if self._view is not None:
            self.show_sale(self._view)

    def selected_line_no(self) -> int | None:
        """The line the cashier picked, or None (the intent then applies to the last line)."""
        rows = self.selectionModel().selectedRows()
        if not rows or self._view is None:
            return None
        line = self._view.lines[rows[0].row()] if rows[0].row() < len(self._view.lines) else None
        # A voided line is shown (and may be highlighted) but takes no more changes.
        return None if line is None or line.voided else line.line_no

    def move_selection(self, step: int) -> None:
        """Pick the line ``step`` rows up (negative) or down from the one picked now."""
        if self._view is None or not self._view.lines:
            return
        rows = self.selectionModel().selectedRows()
        current = rows[0].row() if rows else len(self._view.lines) - 1
        row = min(max(current + step, 0), len(self._view.lines) - 1)
        self.selectRow(row)
        first = self.item(row, 0)
        if first is not None:
            self.scrollToItem(first)

    def show_sale(self, view: SaleView) -> None:
        self._view = view
        language = self._strings.language
        self.setRowCount(len(view.lines))
        for row, line in enumerate(view.lines):
            for col, column in enumerate(self._columns):
                item = QTableWidgetItem(self._cell(line, column, language))
                item.setData(Qt.ItemDataRole.UserRole, line.line_no)
                if column in ("col.qty", "col.price", "col.amount", "col.line"):
                    item.setTextAlignment(_RIGHT)
                if line.voided:
                    font = item.font()
                    font.setStrikeOut(True)
                    item.setFont(font)
                    item.setForeground(Qt.GlobalColor.gray)
                self.setItem(row, col, item)
        touched = next(
            (r for r, line in enumerate(view.lines) if line.line_no == view.last_line_no), None
        )
        if touched is None and view.lines:
            touched = len(view.lines) - 1
        if touched is not None:
            self.selectRow(touched)
            first = self.item(touched, 0)
            if first is not None:
                self.scrollToItem(first)
        else:
            self.clearSelection()

    def _cell(self, line: LineView, column: str, language: str) -> str:
        if column == "col.line":
            return str(line.line_no)
        if column == "col.name":
            return line.name(language)
        if column == "col.qty":
            if line.weight_grams is not None:
                return f"{line.weight_grams / 1000:.3f} kg"
            return "" if line.quantity == 1 and line.unit == "kg" else str(line.quantity)
        if column == "col.price":
            return format_cents(line.unit_price_cents)
        if column == "col.amount":
            return format_cents(line.amount_cents)
        if column == "col.status":
            if line.voided:
                return self._strings.text("line.void")
            notes = []
            if line.member_saving_cents:
                saving = format_cents(line.member_saving_cents)
                notes.append(self._strings.text("line.member_price", amount=saving))
            if line.discount_cents:
                notes.append(
                    self._strings.text("line.discount", amount=format_cents(line.discount_cents))
                )
            return " ".join(notes)
        raise ValueError(f"unknown column {column}")
