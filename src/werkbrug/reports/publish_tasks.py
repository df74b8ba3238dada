"""The background job of a report's publication (docs/jobs.md): the figures of a pending published
report are counted and stored (reports.publication.store_figures). The argument is the published
report's id only. When its last attempt fails, the publication is marked failed (`give_up`). (Beside
reports/tasks.py, which holds the research export's job.)"""

from __future__ import annotations

from werkbrug.jobs.runner import job


def _give_up(error: Exception, published_id: int) -> None:
    """The last attempt failed: the publication is marked failed, so it can be published again."""
    from werkbrug.reports import publication

    publication.give_up(error, published_id)


@job(on_give_up=_give_up)
def publish_figures(published_id: int) -> bool:
    # reports.publication queues this job, so it is imported here, when the job runs.
    from werkbrug.reports import publication

    return publication.store_figures(published_id)
