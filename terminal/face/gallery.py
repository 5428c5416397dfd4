"""The gallery: every member's templates of one model as one float32 matrix, searched 1:N
by cosine (templates are unit vectors, so a dot product).

Thread-safe: the sync worker adds and removes members while the face worker searches.
Exact search is one matrix product; from ``ann_min_size`` templates on (and with the
optional ``hnswlib`` installed) an HNSW index answers the full-gallery search instead,
because an exact scan of 1M x 128 floats (512 MB) takes 40-50 ms on a 2-core till. A search
narrowed by the phone's last 4 digits is always exact: it touches a handful of rows.

A template of another model is never compared: the gallery has one model, and both the
loader and ``search`` refuse vectors of any other.

What must not live here: thresholds and decisions (``decide.py``), SQL: the templates
and phone digits come from ``MemberRepository`` (``terminal/storage/members.py``).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from terminal.face.embed import Embedding, normalize
from terminal.storage.members import MemberRepository

log = logging.getLogger(__name__)

ANN_MIN_SIZE = 200_000
_ANN_CANDIDATES = 16  # distinct members are picked from this many nearest templates


@dataclass(frozen=True, slots=True)
class Match:
    member_id: str
    score: float  # cosine, -1..1


@dataclass(frozen=True, slots=True)
class SearchResult:
    best: Match | None
    runner_up: Match | None
    searched: int  # templates compared (or the gallery size, for an ANN search)
    narrowed: bool  # restricted to members with the given last 4 digits

    @property
    def margin(self) -> float:
        if self.best is None:
            return 0.0
        if self.runner_up is None:
            return self.best.score + 1.0  # no runner-up: as wide as it gets
        return self.best.score - self.runner_up.score


class Gallery:
    def __init__(
        self,
        model: str,
        dim: int = 128,
        *,
        capacity: int = 1024,
        ann_min_size: int = ANN_MIN_SIZE,
    ) -> None:
        self.model = model
        self.dim = dim
        self.ann_min_size = ann_min_size
        self._lock = threading.RLock()
        self._matrix = np.empty((max(1, capacity), dim), dtype=np.float32)
        self._size = 0
        self._row_member: list[str] = []  # row -> member id
        self._row_label: list[int] = []  # row -> stable label (the ANN's id)
        self._rows_of: dict[str, list[int]] = {}  # member -> rows
        self._label_row: dict[int, int] = {}
        self._last4: dict[str, str] = {}
        self._by_last4: dict[str, set[str]] = {}
        self._next_label = 0
        self._ann: Any = None

    # -- building -------------------------------------------------------------------

    @classmethod
    def from_repository(
        cls, repository: MemberRepository, model: str, dim: int = 128, **options: Any
    ) -> Gallery:
        """Every template of ``model`` in the store (opened with the device key)."""
        gallery = cls(model, dim, **options)
        last4 = repository.phone_last4_by_member()
        for template in repository.templates(model):
            gallery.add(
                template.member_id,
                Embedding.from_bytes(template.vector, template.model),
                last4=last4.get(template.member_id),
            )
        if len(gallery) >= gallery.ann_min_size:
            gallery.build_ann()
        return gallery

    def __len__(self) -> int:
        return self._size

    @property
    def members(self) -> int:
        return len(self._rows_of)

    def add(self, member_id: str, embedding: Embedding, *, last4: str | None = None) -> None:
        """Add one template of ``member_id`` (a member may have several)."""
        self._check_model(embedding)
        vector = normalize(embedding.vector)
        if vector.shape != (self.dim,):
            raise ValueError(f"template of {vector.shape[0]} values, gallery holds {self.dim}")
        with self._lock:
            if self._size == self._matrix.shape[0]:
                grown = np.empty((self._matrix.shape[0] * 2, self.dim), dtype=np.float32)
                grown[: self._size] = self._matrix[: self._size]
                self._matrix = grown
            row = self._size
            self._matrix[row] = vector
            label = self._next_label
            self._next_label += 1
            self._row_member.append(member_id)
            self._row_label.append(label)
            self._label_row[label] = row
            self._rows_of.setdefault(member_id, []).append(row)
            self._size += 1
            if last4 is not None:
                self._set_last4(member_id, last4)
            if self._ann is not None:
                self._ann_add(vector[np.newaxis], [label])

    def add_many(
        self, member_ids: Iterable[str], vectors: npt.NDArray[np.float32], *, model: str
    ) -> None:
        """Bulk add of unit vectors (one row each), for loading and benchmarks."""
        ids = list(member_ids)
        if model != self.model:
            raise ValueError(f"vectors of model {model} cannot join a {self.model} gallery")
        if vectors.shape != (len(ids), self.dim):
            raise ValueError(f"expected {len(ids)}x{self.dim} vectors, got {vectors.shape}")
        with self._lock:
            needed = self._size + len(ids)
            if needed > self._matrix.shape[0]:
                grown = np.empty((max(needed, self._matrix.shape[0] * 2), self.dim), np.float32)
                grown[: self._size] = self._matrix[: self._size]
                self._matrix = grown
            start = self._size
            self._matrix[start:needed] = vectors
            labels = list(range(self._next_label, self._next_label + len(ids)))
            self._next_label += len(ids)
            for offset, (member_id, label) in enumerate(zip(ids, labels, strict=True)):
                row = start + offset
                self._row_member.append(member_id)
                self._row_label.append(label)
                self._label_row[label] = row
                self._rows_of.setdefault(member_id, []).append(row)
            self._size = needed
            if self._ann is not None:
                self._ann_add(vectors, labels)

    def set_last4(self, member_id: str, last4: str | None) -> None:
        with self._lock:
            self._set_last4(member_id, last4)

    def _set_last4(self, member_id: str, last4: str | None) -> None:
        old = self._last4.pop(member_id, None)
        if old is not None:
            self._by_last4.get(old, set()).discard(member_id)
        if last4:
            self._last4[member_id] = last4
            self._by_last4.setdefault(last4, set()).add(member_id)

    def remove(self, member_id: str) -> bool:
        """Remove every template of ``member_id``; False if it had none."""
        with self._lock:
            rows = self._rows_of.pop(member_id, None)
            self._set_last4(member_id, None)
            if not rows:
                return False
            # Highest row first, so a row moved down from the end is never one to delete.
            for row in sorted(rows, reverse=True):
                self._delete_row(row)
            return True

    def _delete_row(self, row: int) -> None:
        last = self._size - 1
        label = self._row_label[row]
        if self._ann is not None:
            self._ann.mark_deleted(label)
        del self._label_row[label]
        if row != last:
            moved_member = self._row_member[last]
            moved_label = self._row_label[last]
            self._matrix[row] = self._matrix[last]
            self._row_member[row] = moved_member
            self._row_label[row] = moved_label
            self._label_row[moved_label] = row
            rows = self._rows_of[moved_member]
            rows[rows.index(last)] = row
        self._row_member.pop()
        self._row_label.pop()
        self._size = last

    # -- ANN ------------------------------------------------------------------------

    def build_ann(self, threads: int = 2, ef_construction: int = 64, m: int = 16) -> bool:
        """Build the HNSW index over what is in the gallery; False without hnswlib."""
        try:
            import hnswlib  # type: ignore[import-untyped]  # noqa: PLC0415 - optional
        except ImportError:
            log.warning("large gallery without hnswlib: exact search", extra={"size": self._size})
            return False
        with self._lock:
            index = hnswlib.Index(space="ip", dim=self.dim)
            index.init_index(
                max_elements=max(1024, self._size * 2), ef_construction=ef_construction, M=m
            )
            index.set_num_threads(threads)
            if self._size:
                index.add_items(self._matrix[: self._size], np.asarray(self._row_label))
            index.set_num_threads(1)
            index.set_ef(64)
            self._ann = index
            return True

    def _ann_add(self, vectors: npt.NDArray[np.float32], labels: list[int]) -> None:
        index = self._ann
        if index.get_current_count() + len(labels) > index.get_max_elements():
            index.resize_index(
                max(index.get_max_elements() * 2, index.get_current_count() + len(labels))
            )
        index.add_items(vectors, np.asarray(labels))

    # -- search ---------------------------------------------------------------------

    def search(self, embedding: Embedding, *, last4: str | None = None) -> SearchResult:
        """The best and second-best members for ``embedding``; with ``last4``, only among
        members whose phone ends with those digits."""
        self._check_model(embedding)
        query = normalize(embedding.vector)
        with self._lock:
            if last4 is not None:
                members = self._by_last4.get(last4, set())
                rows = [r for m in members for r in self._rows_of.get(m, [])]
                return self._exact(query, np.asarray(rows, dtype=np.int64), narrowed=True)
            if self._ann is not None and self._size >= self.ann_min_size:
                return self._ann_search(query)
            return self._exact(query, None, narrowed=False)

    def _exact(
        self, query: npt.NDArray[np.float32], rows: npt.NDArray[np.int64] | None, *, narrowed: bool
    ) -> SearchResult:
        matrix = self._matrix[: self._size] if rows is None else self._matrix[rows]
        if matrix.shape[0] == 0:
            return SearchResult(None, None, 0, narrowed)
        # (1 x d) @ (d x n) runs as a GEMM: measured 20-100x faster than a matrix-vector
        # product here, which wakes every BLAS thread for a few microseconds of work.
        scores = (query[np.newaxis] @ matrix.T)[0]
        members = self._row_member if rows is None else [self._row_member[r] for r in rows]
        return self._best_two(scores, members, matrix.shape[0], narrowed)

    def _best_two(
        self, scores: npt.NDArray[np.float32], members: list[str], searched: int, narrowed: bool
    ) -> SearchResult:
        take = min(len(scores), 8)
        while True:
            top = (
                np.argpartition(-scores, take - 1)[:take]
                if take < len(scores)
                else np.arange(len(scores))
            )
            order = top[np.argsort(-scores[top])]
            found: list[Match] = []
            for i in order:
                member = members[int(i)]
                if all(m.member_id != member for m in found):
                    found.append(Match(member, float(scores[int(i)])))
                    if len(found) == 2:
                        break
            # Many templates of one member can fill the top rows: widen until two members.
            if len(found) == 2 or take >= len(scores):
                break
            take = min(len(scores), take * 4)
        return SearchResult(
            found[0] if found else None, found[1] if len(found) > 1 else None, searched, narrowed
        )

    def _ann_search(self, query: npt.NDArray[np.float32]) -> SearchResult:
        k = min(_ANN_CANDIDATES, self._ann.get_current_count())
        labels, distances = self._ann.knn_query(query, k=k)
        scores = (1.0 - distances[0]).astype(np.float32)  # hnswlib's ip distance is 1 - dot
        members = [self._row_member[self._label_row[int(label)]] for label in labels[0]]
        return self._best_two(scores, members, self._size, False)

    def _check_model(self, embedding: Embedding) -> None:
        if embedding.model != self.model:
            raise ValueError(
                f"a {embedding.model} vector cannot be compared with a {self.model} gallery"
            )
