"""Employers as network data: the list, the page, registering and editing (with the KBO check and
the version), contact persons; who may read and write them, tested from the outsider's side."""

from __future__ import annotations

import pytest
from django.urls import reverse

from werkbrug.core.models import AuditEvent
from werkbrug.employers.models import ContactPerson, Employer, validate_enterprise_number
from werkbrug.employers.tests.helpers import contact, employer, kbo, opening
from werkbrug.network.models import Role, SubRegion
from werkbrug.testing import days_ago, make_user

pytestmark = pytest.mark.django_db


def form_for(name="Garage Peeters", number="", **extra):
    data = {
        "name": name,
        "enterprise_number": number,
        "sector": "G",
        "size": "small",
        "municipality": "Mechelen",
    }
    data.update(extra)
    return data


# --- the enterprise number -------------------------------------------------------------------------


@pytest.mark.parametrize("first_eight", [12345678, 10300512, 14040404, 1, 19999999])
def test_numbers_with_matching_check_digits_are_valid(first_eight):
    number = f"{first_eight:08d}{97 - first_eight % 97:02d}"
    validate_enterprise_number(number)  # raises when wrong
    dotted = f"{number[:4]}.{number[4:7]}.{number[7:]}"
    validate_enterprise_number(dotted)


@pytest.mark.parametrize("first_eight", [12345678, 14040404])
def test_a_wrong_check_digit_is_refused(first_eight):
    wrong = (97 - first_eight % 97) % 97 + 1
    with pytest.raises(Exception, match="check digits"):
        validate_enterprise_number(f"{first_eight:08d}{wrong:02d}")


def test_registering_an_employer_stores_the_ten_digits_and_shows_them_dotted(net, login):
    number = kbo(10300512)
    dotted = f"{number[:4]}.{number[4:7]}.{number[7:]}"
    response = login(net.coach).post(reverse("employers:create"), form_for(number=dotted))
    made = Employer.objects.get()
    assert response.status_code == 302 and response.url == reverse("employers:detail", args=[made.pk])
    assert made.enterprise_number == number and made.created_by == net.coach
    page = login(net.coach).get(response.url).content.decode()
    assert dotted in page


def test_a_number_with_wrong_check_digits_is_a_form_error_and_nothing_is_written(net, login):
    first = 10300512
    wrong = f"{first:08d}{(97 - first % 97) % 97 + 1:02d}"
    response = login(net.coach).post(reverse("employers:create"), form_for(number=wrong))
    assert response.status_code == 200
    assert "check digits do not match" in response.content.decode()
    assert not Employer.objects.exists()


def test_a_duplicate_enterprise_number_is_a_clear_form_error(net, login):
    employer(net, "Bakkerij Janssens", 12345678)
    response = login(net.coach).post(reverse("employers:create"), form_for(number=kbo(12345678)))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Bakkerij Janssens already has this enterprise number" in html
    assert Employer.objects.count() == 1


def test_a_double_submitted_registration_registers_one_employer(net, login):
    client = login(net.coach)
    first = client.post(reverse("employers:create"), form_for(number=kbo(13000001)))
    second = client.post(reverse("employers:create"), form_for(number=kbo(13000001)))
    assert first.status_code == 302 and second.status_code == 200
    assert Employer.objects.count() == 1


def test_a_double_submitted_registration_without_number_registers_one_employer(net, login):
    client = login(net.coach)
    client.post(reverse("employers:create"), form_for())
    second = client.post(reverse("employers:create"), form_for())
    assert "already registered" in second.content.decode()
    assert Employer.objects.count() == 1


def test_a_registration_without_a_name_is_refused(net, login):
    response = login(net.coach).post(reverse("employers:create"), form_for(name=""))
    assert response.status_code == 200 and not Employer.objects.exists()


# --- who may see employers ------------------------------------------------------------------------


@pytest.fixture
def others(net):
    return {
        "funder": net.funder,
        "admin": net.admin,
        "privacy": make_user("privacy", net.network_org, Role.PRIVACY_OFFICER),
        "researcher": make_user("researcher", net.network_org, Role.RESEARCHER),
    }


def employer_pages(net):
    made = employer(net)
    person = ContactPerson.objects.create(employer=made, name="An Janssens")
    job = opening(net, made)
    return made, [
        reverse("employers:list"),
        reverse("employers:detail", args=[made.pk]),
        reverse("employers:create"),
        reverse("employers:edit", args=[made.pk]),
        reverse("employers:person_add", args=[made.pk]),
        reverse("employers:person_edit", args=[made.pk, person.pk]),
        reverse("employers:person_remove", args=[made.pk, person.pk]),
        reverse("employers:contact_add", args=[made.pk]),
        reverse("employers:opening_add", args=[made.pk]),
        reverse("employers:opening_close", args=[made.pk, job.pk]),
        reverse("employers:introduce", args=[made.pk, job.pk]),
        reverse("employers:week"),
    ]


@pytest.mark.parametrize("who", ["funder", "admin", "privacy", "researcher"])
def test_roles_without_client_work_get_404_on_every_employer_page(net, login, others, who):
    made, urls = employer_pages(net)
    client = login(others[who])
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url, form_for()).status_code == 404, url
    assert Employer.objects.count() == 1 and Employer.objects.get().name == made.name


def test_a_funder_gets_404_from_the_employer_chooser(net, login):
    employer(net, "Bakkerij Janssens")
    url = reverse("core:choose", args=["employers"])
    assert login(net.funder).get(url, {"q": "bakkerij"}).status_code == 404
    assert "Bakkerij Janssens" in login(net.coach).get(url, {"q": "bakkerij"}).content.decode()


@pytest.mark.parametrize("reader", ["screener", "care", "gtb_coach"])
def test_every_client_role_of_the_network_reads_employers(net, login, reader):
    made = employer(net)
    client = login(getattr(net, reader))
    assert client.get(reverse("employers:list")).status_code == 200
    assert made.name in client.get(reverse("employers:detail", args=[made.pk])).content.decode()


@pytest.mark.parametrize("reader", ["screener", "care"])
def test_screeners_and_care_professionals_read_but_do_not_write(net, login, reader):
    made, urls = employer_pages(net)
    client = login(getattr(net, reader))
    page = client.get(reverse("employers:detail", args=[made.pk])).content.decode()
    assert reverse("employers:edit", args=[made.pk]) not in page
    for url in urls[2:-1]:
        assert client.get(url).status_code == 404, url
        assert client.post(url, form_for(name="Overschreven")).status_code == 404, url
    assert Employer.objects.get().name == made.name


def test_an_unknown_employer_is_404(net, login):
    assert login(net.coach).get(reverse("employers:detail", args=[999])).status_code == 404


# --- the list -----------------------------------------------------------------------------------


def listed(response):
    return [e.name for e in response.context["page"]]


def test_the_list_searches_name_enterprise_number_and_municipality(net, login):
    employer(net, "Bakkerij Janssens", 12345678, municipality="Lier")
    employer(net, "Garage Peeters", 10300512, municipality="Mechelen")
    client = login(net.coach)
    url = reverse("employers:list")
    assert listed(client.get(url, {"q": "bakker"})) == ["Bakkerij Janssens"]
    assert listed(client.get(url, {"q": "mechelen"})) == ["Garage Peeters"]
    number = kbo(10300512)
    assert listed(client.get(url, {"q": f"{number[:4]}.{number[4:7]}"})) == ["Garage Peeters"]
    assert listed(client.get(url)) == ["Bakkerij Janssens", "Garage Peeters"]


def test_the_list_filters_on_sector_and_sub_region(net, login):
    elsewhere = SubRegion.objects.create(name="Kempen")
    employer(net, "Bakkerij Janssens", 12345678, sector="I", subregion=net.region)
    employer(net, "Garage Peeters", 10300512, sector="G", subregion=elsewhere)
    employer(net, "Frituur Kempen", 14040404, sector="I", subregion=elsewhere)
    client = login(net.coach)
    url = reverse("employers:list")
    assert listed(client.get(url, {"sector": "I"})) == ["Bakkerij Janssens", "Frituur Kempen"]
    assert listed(client.get(url, {"sector": "I", "subregion": elsewhere.pk})) == ["Frituur Kempen"]


def test_the_list_pages_by_50_and_keeps_the_filter(net, login):
    Employer.objects.bulk_create(
        Employer(name=f"Werkgever {i:03d}", sector="C", created_by=net.coach) for i in range(60)
    )
    client = login(net.coach)
    second = client.get(reverse("employers:list"), {"sector": "C", "page": 2})
    assert listed(second) == [f"Werkgever {i:03d}" for i in range(50, 60)]
    assert "sector=C" in client.get(reverse("employers:list"), {"sector": "C"}).content.decode()


@pytest.mark.parametrize("count", [1, 120])
def test_the_list_runs_a_constant_number_of_queries(net, login, django_assert_max_num_queries, count):
    Employer.objects.bulk_create(
        Employer(name=f"Werkgever {i:03d}", subregion=net.region, created_by=net.coach) for i in range(count)
    )
    client = login(net.coach)
    with django_assert_max_num_queries(9):
        assert client.get(reverse("employers:list"), {"page": 2 if count > 50 else 1}).status_code == 200


# --- the page -------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 30])
def test_the_employer_page_runs_a_constant_number_of_queries(
    net, login, django_assert_max_num_queries, count
):
    from werkbrug.employers.tests.helpers import employer_consent, ips_trajectory

    made = employer(net)
    for i in range(count):
        ContactPerson.objects.create(employer=made, name=f"Persoon {i}")
        trajectory = ips_trajectory(net)
        employer_consent(net, trajectory.client)
        contact(net, made, on=days_ago(i % 20), trajectory=trajectory, note=f"n{i}")
    for i in range(min(count, 5)):
        opening(net, made, title=f"Job {i}")
    client = login(net.coach)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("employers:detail", args=[made.pk])).status_code == 200


# --- editing --------------------------------------------------------------------------------------


def test_editing_saves_and_records_who(net, login):
    made = employer(net)
    client = login(net.coordinator)
    page = client.get(reverse("employers:edit", args=[made.pk]))
    seen = page.context["seen"]
    response = client.post(
        reverse("employers:edit", args=[made.pk]),
        form_for(name="Bakkerij Janssens & Zonen", number=kbo(12345678), seen=seen),
    )
    assert response.status_code == 302
    assert Employer.objects.get().name == "Bakkerij Janssens & Zonen"
    assert AuditEvent.objects.filter(object_type="employer", object_id=made.pk, user=net.coordinator).exists()


def test_a_stale_edit_is_refused_and_names_who_changed_it(net, login):
    made = employer(net)
    net.coordinator.first_name, net.coordinator.last_name = "Cora", "Dinatore"
    net.coordinator.save()
    coach = login(net.coach)
    seen = coach.get(reverse("employers:edit", args=[made.pk])).context["seen"]
    login(net.coordinator).post(
        reverse("employers:edit", args=[made.pk]),
        form_for(name="Bakkerij Janssens NV", number=kbo(12345678), seen=seen),
    )
    response = login(net.coach).post(
        reverse("employers:edit", args=[made.pk]),
        form_for(name="Bakkerij J.", number=kbo(12345678), seen=seen),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Cora Dinatore saved this employer" in html
    assert Employer.objects.get().name == "Bakkerij Janssens NV"


def test_editing_to_another_employers_number_is_refused(net, login):
    employer(net, "Bakkerij Janssens", 12345678)
    other = employer(net, "Garage Peeters", 10300512)
    response = login(net.coach).post(
        reverse("employers:edit", args=[other.pk]), form_for(name="Garage Peeters", number=kbo(12345678))
    )
    assert "Bakkerij Janssens already has this enterprise number" in response.content.decode()
    assert Employer.objects.get(pk=other.pk).enterprise_number == kbo(10300512)


# --- contact persons ------------------------------------------------------------------------------


def test_a_contact_person_is_added_once_edited_and_removed_once(net, login):
    made = employer(net)
    client = login(net.coach)
    url = reverse("employers:person_add", args=[made.pk])
    data = {"name": "An Janssens", "role": "zaakvoerder", "phone": "03 123 45 67", "email": "an@example.be"}
    assert client.post(url, data).status_code == 302
    again = client.post(url, data)
    assert "already listed" in again.content.decode()
    person = ContactPerson.objects.get()
    page = client.get(reverse("employers:detail", args=[made.pk])).content.decode()
    assert "An Janssens" in page and "an@example.be" in page
    edit = reverse("employers:person_edit", args=[made.pk, person.pk])
    assert client.post(edit, {**data, "role": "HR"}).status_code == 302
    assert ContactPerson.objects.get().role == "HR"
    remove = reverse("employers:person_remove", args=[made.pk, person.pk])
    assert "data-confirm" in client.get(remove).content.decode()
    assert client.post(remove).status_code == 302
    assert not ContactPerson.objects.exists()
    assert client.post(remove).status_code == 404


def test_a_bad_e_mail_address_is_a_form_error(net, login):
    made = employer(net)
    response = login(net.coach).post(
        reverse("employers:person_add", args=[made.pk]), {"name": "An", "email": "geen-adres"}
    )
    assert response.status_code == 200 and not ContactPerson.objects.exists()


def test_a_contact_person_of_another_employer_is_404(net, login):
    made = employer(net)
    other = employer(net, "Garage Peeters", 10300512)
    person = ContactPerson.objects.create(employer=other, name="Piet")
    client = login(net.coach)
    assert client.get(reverse("employers:person_edit", args=[made.pk, person.pk])).status_code == 404
    assert client.post(reverse("employers:person_remove", args=[made.pk, person.pk])).status_code == 404
    assert ContactPerson.objects.exists()
