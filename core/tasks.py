"""The base of the tracker's Celery tasks: Celery's own task for Django, whose
`delay_on_commit` sends the task once the writing transaction has committed, and whose
sending never fails the write it follows.

A broker that is down makes the send give up within about a second (the broker settings);
the failure is logged, saying what will catch up, and the committed write stands.
"""

import logging
from typing import Any

from celery.contrib.django.task import DjangoTask

logger = logging.getLogger(__name__)


class AfterCommitTask(DjangoTask):
    """Send with `delay_on_commit`; a send that fails is logged, never raised."""

    abstract = True
    catch_up = "a later run will catch up"  # what makes up for a task that was not sent

    def apply_async(self, args: Any = None, kwargs: Any = None, **options: Any) -> Any:
        try:
            return super().apply_async(args, kwargs, **options)
        except Exception:  # kombu's OperationalError, or whatever the transport raised
            logger.exception(
                "Could not send %s%r; %s.", self.name, tuple(args or ()), self.catch_up
            )
            return None
