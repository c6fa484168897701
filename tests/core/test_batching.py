"""Follow-ups of many writes go out once per block (core.batching)."""

import pytest

from core.batching import IdBatch


def gathering() -> tuple[IdBatch, list[list[int]]]:
    handed_on: list[list[int]] = []
    return IdBatch("test_batch", handed_on.append), handed_on


def test_outside_a_block_ids_are_handed_on_at_once():
    batch, handed_on = gathering()
    batch.add([3, 1, 3])
    assert handed_on == [[1, 3]]


def test_inside_a_block_ids_are_handed_on_once_at_its_end():
    batch, handed_on = gathering()
    with batch.batched():
        batch.add([2])
        batch.add([1, 2])
        with batch.batched():  # an inner block joins the outer one
            batch.add([5])
        assert handed_on == []
    assert handed_on == [[1, 2, 5]]


def test_a_block_that_fails_hands_on_nothing():
    batch, handed_on = gathering()

    def failing_write() -> None:
        with batch.batched():
            batch.add([1])
            raise RuntimeError("the write failed")

    with pytest.raises(RuntimeError):
        failing_write()
    batch.add([7])  # and the next write is not held back
    assert handed_on == [[7]]
