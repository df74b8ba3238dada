"""The background job of a report's publication (docs/jobs.md): the figures of a pending published
report are counted and stored (reports.publication.store_figures). The argument is the published
report's id only. (Beside reports/tasks.py, which holds the research export's job.)"""

from __future__ import annotations

from werkbrug.jobs.runner import job


@job
def publish_figures(published_id: int) -> bool:
    # reports.publication queues this job, so it is imported here, when the job runs.
    from werkbrug.reports import publication

    return publication.store_figures(published_id)
