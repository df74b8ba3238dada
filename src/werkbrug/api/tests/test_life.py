"""A trajectory's whole life through the API alone (API parity, issue 11 point 4).

After the setup (the persona network and one token per person, issued by the action behind the
token page) the test only speaks HTTP to /api/… and reads every id from the JSON answers: a partner
system loading a caseload from years ago can do everything the pages do, with the dates it gives.
"""

from __future__ import annotations

import datetime

from django.test import Client as HttpClient

from werkbrug.api.actions import issue_token
from werkbrug.testing import actor_for, days_ago


class Partner:
    """One partner system's HTTP client with one person's token."""

    def __init__(self, key: str) -> None:
        self.http = HttpClient()
        self.headers = {"Authorization": f"Bearer {key}"}

    def get(self, path: str, **params: object) -> dict:
        response = self.http.get(path, params, headers=self.headers)
        assert response.status_code == 200, (path, response.content)
        return response.json()

    def post(self, path: str, body: dict | None = None, status: int = 200) -> dict:
        response = self.http.post(path, body or {}, content_type="application/json", headers=self.headers)
        assert response.status_code == status, (path, response.content)
        return response.json()


def partner(user) -> Partner:
    return Partner(issue_token(actor_for(user), name="caseload import")[1])


def iso(day: datetime.date) -> str:
    return day.isoformat()


def test_a_trajectory_lives_its_whole_life_through_the_api(net):
    care, screener, coach = partner(net.care), partner(net.screener), partner(net.coach)
    started, first_contact, last_contact = days_ago(400), days_ago(390), days_ago(200)
    job, verified, closed = days_ago(300), days_ago(150), days_ago(100)

    # The care partner registers the person and records their consent to work with the line.
    me = care.get("/api/me")
    assert (me["role"], me["organisation"]["name"]) == ("care_professional", "PZ Bethanië")
    person = {"first_name": "Mila", "last_name": "Wouters", "birth_date": "1988-09-14", "gender": "F"}
    client = care.post("/api/clients", {**person, "evidence": {"kind": "signed_form"}}, status=201)
    lines = care.get("/api/lines")["items"]
    line = next(item for item in lines if item["name"] == "SaRA arbeidscoach")
    consent = {
        "purpose": "collaboration",
        "recipient_id": line["organisation"]["id"],
        "categories": ["identity", "work_history"],
        "evidence": {"kind": "signed_form"},
    }
    given = care.post(f"/api/clients/{client['id']}/consents", consent, status=201)
    assert (given["recipient"]["id"], given["is_active"]) == (line["organisation"]["id"], True)

    # ...and refers them to the line.
    referral = care.post(
        "/api/referrals",
        {
            "client_id": client["id"],
            "line_id": line["id"],
            "question": "Wil terug aan de slag in de logistiek.",
            "channel": "care_professional",
            "evidence": {"kind": "signed_form"},
            # The client agrees that PZ follows the outcome (without it PZ reads "received" only).
            "follow_outcome": True,
        },
        status=201,
    )
    assert referral["status"] == "submitted"

    # The line's screener triages: the coach comes from the organisation's coaches.
    coaches = screener.get("/api/coaches")["items"]
    assert len(coaches) == 1
    assigned = screener.post(f"/api/referrals/{referral['id']}/assign", {"coach_id": coaches[0]["id"]})
    assert (assigned["status"], assigned["assigned_coach"]["id"]) == ("assigned", coaches[0]["id"])

    # The coach accepts, with the start date of long ago.
    types = coach.get("/api/trajectory-types")["items"]
    assert line["default_trajectory_type"] in [t["code"] for t in types]
    body = {"trajectory_type": line["default_trajectory_type"], "started_on": iso(started)}
    trajectory = coach.post(f"/api/referrals/{referral['id']}/accept", body, status=201)
    tid = trajectory["id"]
    assert coach.get(f"/api/referrals/{referral['id']}")["status"] == "accepted"
    shown = coach.get(f"/api/trajectories/{tid}")
    assert (shown["status"], shown["started_on"], shown["referral_id"]) == (
        "active",
        iso(started),
        referral["id"],
    )
    assert (shown["coach"]["id"], shown["last_contact_on"]) == (coaches[0]["id"], None)

    # Contacts on their own dates.
    for on, kind in ((first_contact, "face_to_face"), (last_contact, "phone")):
        contact = coach.post(f"/api/trajectories/{tid}/contacts", {"on": iso(on), "kind": kind}, status=201)
        assert contact["on"] == iso(on)
    shown = coach.get(f"/api/trajectories/{tid}")
    assert (shown["first_contact_on"], shown["last_contact_on"]) == (iso(first_contact), iso(last_contact))

    # A job started months ago, verified on a past day (not today).
    outcome = coach.post(
        f"/api/trajectories/{tid}/outcomes",
        {"kind": "paid_work", "on": iso(job), "economy": "nec"},
        status=201,
    )
    assert (outcome["certainty"], outcome["verify_due_on"]) == (
        "estimated",
        iso(job + datetime.timedelta(days=91)),
    )
    done = coach.post(f"/api/trajectories/{tid}/outcomes/{outcome['id']}/verify", {"on": iso(verified)})
    assert (done["certainty"], done["verified_on"]) == ("verified", iso(verified))
    outcomes = coach.get(f"/api/trajectories/{tid}/outcomes")["items"]
    assert [(o["id"], o["on"], o["verified_on"]) for o in outcomes] == [
        (outcome["id"], iso(job), iso(verified))
    ]

    # Closed on the day it ended.
    ended = coach.post(f"/api/trajectories/{tid}/close", {"reason": "goal_reached", "on": iso(closed)})
    assert (ended["status"], ended["closed_on"]) == ("closed", iso(closed))
    shown = coach.get(f"/api/trajectories/{tid}")
    assert (shown["status"], shown["closed_on"], shown["close_reason"]) == (
        "closed",
        iso(closed),
        "goal_reached",
    )
    assert (shown["started_on"], shown["last_contact_on"]) == (iso(started), iso(last_contact))

    # The referring care partner follows it, as on its pages.
    followed = care.get(f"/api/trajectories/{tid}")
    assert (followed["status"], followed["closed_on"]) == ("closed", iso(closed))
    assert [p["organisation"]["name"] for p in followed["partners"]] == [me["organisation"]["name"]]
