"""Loading the demo: the network, then the stories, in one transaction, built through the real
actions so that involvements, consents, events and the audit trail are what the application itself
writes (see `clock` for how the steps are dated in the past).
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from werkbrug.demo import pathway
from werkbrug.demo.employers import employers
from werkbrug.demo.fidelity import fidelity_review
from werkbrug.demo.groups import job_radar_runs
from werkbrug.demo.ips import ips_stories
from werkbrug.demo.library import library
from werkbrug.demo.network import DemoNetwork, create_network, ensure_trajectory_types
from werkbrug.demo.outreach import outreach_sites
from werkbrug.demo.research import research_agreement
from werkbrug.demo.steps import Steps
from werkbrug.demo.teams import case_team
from werkbrug.demo.workcare import workcare


def load_demo(today: datetime.date | None = None) -> DemoNetwork:
    """Load the demo network (into a database without it; see `network.is_loaded`)."""
    today = today or timezone.localdate()
    # The demo's notifications (feedback, meeting invitations) go nowhere, not to the console.
    quiet = override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
    with quiet, transaction.atomic():
        ensure_trajectory_types()
        network = create_network()
        demo = Steps(network, today)
        pathway.active_sara(demo)
        ips_stories(demo)
        pathway.gtb(demo)
        pathway.closed(demo)
        pathway.open_referrals(demo)
        case_team(demo)
        employers(demo)
        fidelity_review(demo)
        # Known to a care partner only: no referral (yet).
        demo.register("zorg.cgg", 12)
        demo.register("zorg.pz", 3)
        research_agreement(network, today)
        outreach_sites(network, today)
        workcare(demo)
        job_radar_runs(demo)
    with quiet:
        # The library's PDFs are written as private files are: in a transaction of their own (durable).
        library(demo)
    return DemoNetwork(logins=network.logins, clients=demo.clients)
