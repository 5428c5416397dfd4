"""The gallery: exact 1:N search, add/remove while running, last-4 narrowing, models kept
apart, and the HNSW path agreeing with the exact one."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from terminal.face.embed import Embedding, normalize
from terminal.face.gallery import Gallery

MODEL = "sface_2021dec"


def unit(rng: np.random.Generator, n: int = 1) -> np.ndarray:
    v = rng.standard_normal((n, 128)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def near(vector: np.ndarray, rng: np.random.Generator, noise: float = 0.3) -> Embedding:
    return Embedding(normalize(vector + noise * unit(rng)[0] / np.sqrt(1)), MODEL)


def test_search_finds_the_nearest_member_and_the_runner_up() -> None:
    rng = np.random.default_rng(1)
    vectors = unit(rng, 50)
    gallery = Gallery(MODEL)
    for i, v in enumerate(vectors):
        gallery.add(f"m{i}", Embedding(v, MODEL))
    result = gallery.search(near(vectors[7], rng))
    assert result.best is not None and result.best.member_id == "m7"
    assert result.runner_up is not None and result.runner_up.member_id != "m7"
    assert result.margin == pytest.approx(result.best.score - result.runner_up.score)
    assert result.searched == 50


def test_several_templates_of_one_member_count_once() -> None:
    rng = np.random.default_rng(2)
    base = unit(rng)[0]
    gallery = Gallery(MODEL)
    for _ in range(12):
        gallery.add("same", near(base, rng, 0.05))
    gallery.add("other", Embedding(unit(rng)[0], MODEL))
    result = gallery.search(Embedding(base, MODEL))
    assert result.best is not None and result.best.member_id == "same"
    assert result.runner_up is not None and result.runner_up.member_id == "other"
    assert gallery.members == 2 and len(gallery) == 13


def test_remove_takes_every_template_and_keeps_the_others_findable() -> None:
    rng = np.random.default_rng(3)
    vectors = unit(rng, 20)
    gallery = Gallery(MODEL, capacity=2)  # forces growth too
    for i, v in enumerate(vectors):
        gallery.add(f"m{i}", Embedding(v, MODEL))
    gallery.add("m3", Embedding(vectors[3], MODEL))
    assert gallery.remove("m3")
    assert not gallery.remove("m3")
    result = gallery.search(Embedding(vectors[3], MODEL))
    assert result.best is not None and result.best.member_id != "m3"
    for i in (0, 19, 10):
        found = gallery.search(Embedding(vectors[i], MODEL)).best
        assert found is not None and found.member_id == f"m{i}"
        assert found.score == pytest.approx(1.0, abs=1e-5)


def test_narrowing_by_last4_searches_only_those_members() -> None:
    rng = np.random.default_rng(4)
    vectors = unit(rng, 30)
    gallery = Gallery(MODEL)
    for i, v in enumerate(vectors):
        gallery.add(f"m{i}", Embedding(v, MODEL), last4="1234" if i % 10 == 0 else "9999")
    probe = Embedding(vectors[5], MODEL)
    narrowed = gallery.search(probe, last4="1234")
    assert narrowed.narrowed and narrowed.searched == 3
    assert narrowed.best is not None and narrowed.best.member_id in {"m0", "m10", "m20"}
    assert gallery.search(probe, last4="0000").best is None
    gallery.set_last4("m5", "1234")
    moved = gallery.search(probe, last4="1234")
    assert moved.best is not None and moved.best.member_id == "m5"
    gallery.remove("m5")
    assert gallery.search(probe, last4="1234").searched == 3


def test_a_vector_of_another_model_is_never_compared() -> None:
    gallery = Gallery(MODEL)
    other = Embedding(unit(np.random.default_rng(5))[0], "arcface_r100")
    with pytest.raises(ValueError, match="cannot"):
        gallery.add("m1", other)
    with pytest.raises(ValueError, match="cannot"):
        gallery.search(other)


def test_add_and_remove_while_searching_from_another_thread() -> None:
    rng = np.random.default_rng(6)
    vectors = unit(rng, 400)
    gallery = Gallery(MODEL)
    gallery.add("anchor", Embedding(vectors[0], MODEL))
    errors: list[BaseException] = []
    stop = threading.Event()

    def searcher() -> None:
        try:
            while not stop.is_set():
                best = gallery.search(Embedding(vectors[0], MODEL)).best
                assert best is not None and best.member_id == "anchor"
        except BaseException as exc:  # reported to the test below
            errors.append(exc)

    thread = threading.Thread(target=searcher)
    thread.start()
    for i, v in enumerate(vectors[1:], start=1):
        gallery.add(f"m{i}", Embedding(v, MODEL))
        if i % 3 == 0:
            gallery.remove(f"m{i - 1}")
    stop.set()
    thread.join()
    assert not errors


def test_hnsw_search_agrees_with_exact_search() -> None:
    pytest.importorskip("hnswlib", reason="hnswlib (optional, for large galleries) not installed")
    rng = np.random.default_rng(7)
    vectors = unit(rng, 3000)
    ids = [f"m{i}" for i in range(len(vectors))]
    ann = Gallery(MODEL, ann_min_size=1000)
    ann.add_many(ids, vectors, model=MODEL)
    assert ann.build_ann()
    exact = Gallery(MODEL)
    exact.add_many(ids, vectors, model=MODEL)
    for i in range(0, 3000, 300):
        probe = near(vectors[i], rng, 0.5)
        a, e = ann.search(probe), exact.search(probe)
        assert a.best is not None and e.best is not None
        assert a.best.member_id == e.best.member_id == f"m{i}"
        assert a.best.score == pytest.approx(e.best.score, abs=1e-4)
    ann.remove("m300")
    best = ann.search(Embedding(vectors[300], MODEL)).best
    assert best is not None and best.member_id != "m300"
    ann.add("new", Embedding(vectors[300], MODEL))
    best = ann.search(Embedding(vectors[300], MODEL)).best
    assert best is not None and best.member_id == "new"
