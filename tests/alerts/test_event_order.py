"""Ids commit in order: a reader keeping the last id it saw misses no event, even when two
writers overlap (PostgreSQL, where writers really run at once)."""

import threading

import pytest
from django.db import connection, transaction

from core.events import Change
from core.models import Event
from core.writes import revision_bump


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
def test_a_later_writer_waits_for_the_earlier_one_so_ids_commit_in_order():
    first_wrote = threading.Event()
    first_may_commit = threading.Event()
    ids: dict[str, int] = {}

    def first() -> None:
        try:
            with transaction.atomic():
                revision_bump([Change(kind="action_recorded", participant="AAA")])
                first_wrote.set()
                first_may_commit.wait(10)
            ids["first"] = Event.objects.get(participant="AAA").pk
        finally:
            connection.close()

    def second() -> None:
        try:
            first_wrote.wait(10)
            with transaction.atomic():
                revision_bump([Change(kind="action_recorded", participant="BBB")])
            ids["second"] = Event.objects.get(participant="BBB").pk
        finally:
            connection.close()

    writers = [threading.Thread(target=first), threading.Thread(target=second)]
    for writer in writers:
        writer.start()
    first_wrote.wait(10)
    writers[1].join(1.0)
    # The second writer waits on the data revision's row while the first is open: no reader
    # can see its event before the first one's.
    assert writers[1].is_alive()
    assert not Event.objects.filter(participant="BBB").exists()
    first_may_commit.set()
    for writer in writers:
        writer.join(10)
    assert ids["first"] < ids["second"]
