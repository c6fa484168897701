"""StatusEntries, the status rows built as read (a page of the API builds only its own),
behave as the list status_entries builds at once: every index, slice, length and order."""

import pytest
from django.utils import timezone

from instruments.selectors import StatusEntries, status_entries, status_matrix
from states.selectors import participant_list

pytestmark = pytest.mark.usefixtures("real_data")


@pytest.fixture
def both():
    matrix = status_matrix(
        as_of=timezone.localdate(), participants=participant_list(osce_role="osce")
    )
    shown = list(matrix.participants)[::-1]  # an order of its own, as a sorted view gives
    return StatusEntries(matrix, shown), status_entries(matrix, shown)


def test_length_order_and_iteration_are_the_lists(both):
    lazy, eager = both
    assert len(lazy) == len(eager) > 0
    assert list(lazy) == eager


def test_every_index_and_slice_is_the_lists(both):
    lazy, eager = both
    size = len(eager)
    for index in (0, 1, 3, size - 1, -1, -2, -size):
        assert lazy[index] == eager[index], index
    for index in (size, -size - 1):
        with pytest.raises(IndexError):
            lazy[index]
    for part in (
        slice(0, 5),
        slice(3, 11),
        slice(size - 7, size + 10),
        slice(-9, None),
        slice(None, None, 3),
        slice(5, 2),
    ):
        assert lazy[part] == eager[part], part
