"""Property: over random consent sets, roles and organisations, a work partner gets exactly the
profile sections an active consent shares with its own organisation, minus the care-only ones, and
nothing at all after withdrawal or expiry: in readable_sections(), on the page, in the history, in
the API, in the PDF and in the client-file export. Care-only text never reaches a work partner."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from werkbrug.clients.access import readable_sections
from werkbrug.clients.actions import grant_consent, withdraw_consent
from werkbrug.clients.models import CARE_ONLY_SECTIONS, Consent, DataCategory
from werkbrug.network.models import ApiToken, Membership, Role
from werkbrug.testing import SIGNED, actor_for, build_network, make_user, pdf_text

from .test_profiles import ALL, fill, marker, markers_in

WORK_ORGS = ["sara", "gtb"]
STATES = ["active", "withdrawn", "expired"]
CONSENTS = st.lists(
    st.fixed_dictionaries(
        {
            "recipient": st.sampled_from(WORK_ORGS),
            "categories": st.sets(st.sampled_from([*ALL, *DataCategory.values]), min_size=1),
            "state": st.sampled_from(STATES),
        }
    ),
    max_size=3,
)
CARE_ONLY_TEXT = {marker(section) for section in CARE_ONLY_SECTIONS}


@contextmanager
def rolled_back() -> Iterator[None]:
    """Each example builds its own network and leaves nothing behind for the next."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def expected_for(org: str, consents: list[dict]) -> set[str]:
    shared: set[str] = set()
    for consent in consents:
        if consent["recipient"] == org and consent["state"] == "active":
            shared |= consent["categories"]
    return (shared & set(ALL)) - CARE_ONLY_SECTIONS


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    consents=CONSENTS,
    org=st.sampled_from(WORK_ORGS),
    role=st.sampled_from([Role.COACH, Role.SCREENER, Role.COORDINATOR]),
    probe=st.sampled_from(ALL),
)
def test_a_work_partner_gets_exactly_the_active_consented_sections_never_care_only(
    db, client, consents, org, role, probe
):
    with rolled_back():
        net = build_network()
        person = net.trajectory().client  # SaRA is involved and may see the file
        net.refer(person, line=net.gtb_line)  # and so is GTB
        fill(net, person)
        today = timezone.localdate()
        for wanted in consents:
            expired = wanted["state"] == "expired"
            # grant_consent refuses a care-only section for a work partner (issue 12): one drawn here
            # is written onto the row afterwards, as a consent recorded before that rule.
            allowed = sorted(wanted["categories"] - CARE_ONLY_SECTIONS)
            consent = grant_consent(
                actor_for(net.care),
                person,
                purpose="profile",
                recipient=getattr(net, wanted["recipient"]),
                categories=allowed or ["identity"],
                evidence=SIGNED,
                given_on=today - datetime.timedelta(days=30) if expired else None,
                valid_until=today - datetime.timedelta(days=1) if expired else None,
            )
            Consent.objects.filter(pk=consent.pk).update(categories=sorted(wanted["categories"]))
            if wanted["state"] == "withdrawn":
                withdraw_consent(actor_for(net.care), consent)
        user = make_user("probe", getattr(net, org), role)
        expected = expected_for(org, consents)

        # The rule itself, for this user and for the other work organisation.
        assert readable_sections(actor_for(user), person.pk) == expected
        other = next(o for o in WORK_ORGS if o != org)
        other_user = net.coach if other == "sara" else net.gtb_coach
        assert readable_sections(actor_for(other_user), person.pk) == expected_for(other, consents)

        client.force_login(user)
        key = ApiToken.issue(Membership.objects.get(user=user), "probe")[1]
        page = client.get(reverse("exchange:profile", args=[person.pk]))
        history = client.get(reverse("exchange:profile_history", args=[person.pk, probe]))
        api = client.get(f"/api/clients/{person.pk}/profile", headers={"Authorization": f"Bearer {key}"})
        pdf = client.get(reverse("exchange:profile_pdf", args=[person.pk]))
        # The client-file export (clients:export) shows the file, and its profile part follows the
        # same rule: it answers 200 whenever the file is visible.
        export = client.get(reverse("clients:export", args=[person.pk]))
        assert export.status_code == 200
        exported = export.content.decode()
        assert markers_in(exported) == expected
        assert not any(care_only in exported for care_only in CARE_ONLY_TEXT)

        assert history.status_code == (200 if probe in expected else 404)
        if probe in expected:
            assert marker(probe) in history.content.decode()
        if not expected:
            assert [page.status_code, api.status_code, pdf.status_code] == [404, 404, 404]
            return
        assert [page.status_code, api.status_code, pdf.status_code] == [200, 200, 200]
        html = page.content.decode()
        text = pdf_text(pdf.content)
        assert markers_in(html) == expected
        assert {item["section"] for item in api.json()} == expected
        assert {item["text"] for item in api.json()} == {marker(s) for s in expected}
        assert markers_in(text) == expected
        for output in [html, history.content.decode(), api.content.decode(), text]:
            assert not any(care_only in output for care_only in CARE_ONLY_TEXT)
