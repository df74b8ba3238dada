"""The generator's employers (demo.generator.employers) keep what the actions keep: valid and
unique enterprise numbers, contacts by coaches for their own organisation, clients named only with
the consent for employer contact by the coach who carries the IPS trajectory."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from werkbrug.clients.models import Consent, ConsentPurpose
from werkbrug.demo.generator.config import SCALES
from werkbrug.demo.generator.employers import CLIENTS_PER_EMPLOYER, CONTACTS_PER_EMPLOYER
from werkbrug.employers.models import Employer, EmployerContact, validate_enterprise_number
from werkbrug.network.models import Membership, Role


@pytest.mark.django_db
def test_the_tiny_network_gets_employers_and_contacts_as_the_actions_would_write_them():
    call_command("generate_network", "--scale", "tiny", stdout=StringIO())
    employers = SCALES["tiny"].clients // CLIENTS_PER_EMPLOYER
    assert Employer.objects.count() == employers
    numbers = list(Employer.objects.values_list("enterprise_number", flat=True))
    assert len(set(numbers)) == len(numbers)
    for number in numbers:
        validate_enterprise_number(number)
    unnamed = EmployerContact.objects.filter(trajectory__isnull=True)
    assert unnamed.count() == employers * CONTACTS_PER_EMPLOYER
    coaches = set(Membership.objects.filter(role=Role.COACH).values_list("user_id", "organisation_id"))
    assert set(EmployerContact.objects.values_list("coach_id", "organisation_id")) <= coaches
    for contact in EmployerContact.objects.filter(trajectory__isnull=False).select_related(
        "trajectory__type"
    ):
        assert contact.trajectory.type.code == "ips" and contact.trajectory.coach_id == contact.coach_id
        assert contact.trajectory.lead_organisation_id == contact.organisation_id
        assert (
            Consent.objects.active()
            .filter(
                client_id=contact.trajectory.client_id,
                recipient_id=contact.organisation_id,
                purpose=ConsentPurpose.EMPLOYER_CONTACT,
            )
            .exists()
        )
