"""Jobs left RUNNING by a worker that died (killed, host lost) are queued again.

The library marks a job RUNNING when a worker claims it and never looks back. When a worker starts,
`requeue_stale()` puts every job that has been RUNNING for longer than JOBS_LEASE_SECONDS back to
READY, so the next worker runs it again. Jobs are written to survive this: a periodic job keeps its
done-markers in the transaction of its work (werkbrug.jobs.daily), a prepared file starts over.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)


def requeue_stale(lease: datetime.timedelta | None = None) -> int:
    lease = lease if lease is not None else datetime.timedelta(seconds=settings.JOBS_LEASE_SECONDS)
    stale = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=timezone.now() - lease
    )
    count = stale.update(status=TaskResultStatus.READY, started_at=None)
    if count:
        logger.warning("%s job(s) left running by a stopped worker queued again", count)
    return count
