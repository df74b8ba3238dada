"""Group modules in the demo (issue 18): SaRA runs Job-Radar, started five weeks ago in "Lokaal De
Brug" with coach.sara1; four clients of SaRA are enrolled, three sessions a week so far with their
attendance, and one participant stopped early. A second run starts next month, still empty."""

from __future__ import annotations

import datetime

from werkbrug.demo.steps import Steps
from werkbrug.groups import actions
from werkbrug.groups.defaults import ensure_job_radar
from werkbrug.groups.models import ModulePhase, ModuleTemplate, Outcome

COACH = "coach.sara1"
COORDINATOR = "coordinator.sara"
# Who came, per participant, in turn over the sessions.
PATTERNS = ("present", "present", "present", "excused", "present", "absent")


def job_radar_runs(demo: Steps) -> None:
    template = ensure_job_radar(ModuleTemplate, ModulePhase)
    coach = demo.actors[COACH]
    start = demo.today - datetime.timedelta(weeks=5, days=demo.today.weekday())  # a Monday
    run = actions.create_run(
        demo.actors[COORDINATOR],
        template,
        starts_on=start,
        place="Lokaal De Brug, Kanaalstraat 8, Antwerpen",
        coaches=[demo.users[COACH]],
    )
    people = []
    for ago in (90, 75, 60, 50):
        client = demo.register("zorg.pz", ago + 30)
        referral = demo.refer(client, "zorg.pz", ago + 25)
        people.append(actions.enrol(coach, run, demo.start(referral, COACH, ago)))
    sessions = [
        actions.add_session(coach, run, on=start + datetime.timedelta(weeks=w, days=d), topic=topic)
        for w, topic in ((0, "Kennismaking"), (1, "Communiceren in groep"), (2, "Feedback geven"),
                         (3, "Wat kan ik, wat wil ik?"), (4, "Beroepen verkennen"))
        for d in (1,)
    ]  # fmt: skip
    for number, session in enumerate(sessions):
        actions.record_attendance(
            coach,
            session,
            {p.pk: PATTERNS[(number + i) % len(PATTERNS)] for i, p in enumerate(people[:3])}
            | ({people[3].pk: "present"} if number < 2 else {}),
        )
    actions.set_outcome(coach, people[3], outcome=Outcome.STOPPED, note="Opgenomen in het ziekenhuis.")
    actions.set_placement(coach, people[0], employer=None, name="Kringwinkel Antwerpen-Noord")
    actions.create_run(
        demo.actors[COORDINATOR],
        template,
        starts_on=start + datetime.timedelta(weeks=10),
        place="Lokaal De Brug, Kanaalstraat 8, Antwerpen",
        coaches=[demo.users[COACH], demo.users["coach.sara2"]],
    )
