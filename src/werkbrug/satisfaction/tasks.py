"""The satisfaction area's background job (docs/jobs.md): the survey's invitation mails. Arguments:
the survey's id, the day it was opened (the done-markers' key) and the answer page's address (the
site's own URL, nothing about a person); the tokens are made in the job (satisfaction.invitations)."""

from __future__ import annotations

import datetime

from werkbrug.jobs.runner import job
from werkbrug.satisfaction import invitations


@job
def survey_invitations(survey_id: int, day: str, base_url: str) -> int:
    return invitations.send_invitations(survey_id, datetime.date.fromisoformat(day), base_url)
