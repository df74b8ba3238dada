"""The monthly statement of hours as XLSX and PDF, per workshop and per participant: the totals are the
sum of the hours entered; outsiders get 404."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from werkbrug.testing import actor_for, pdf_text
from werkbrug.workcare import hours
from werkbrug.workcare.tests.data import agreement, workcare_trajectory, workshop

pytestmark = pytest.mark.django_db

YEAR, MONTH = 2026, 3


def _month(net):
    at = workshop(net)
    ann = workcare_trajectory(net, first_name="Ann", last_name="Aerts")
    bart = workcare_trajectory(net, first_name="Bart", last_name="=Boon")
    for t in (ann, bart):
        agreement(net, t, at)
    cells = {(ann.pk, datetime.date(YEAR, MONTH, d)): Decimal("3.5") for d in (2, 3, 4)}
    cells[(bart.pk, datetime.date(YEAR, MONTH, 31))] = Decimal("6")
    hours.save_month(actor_for(net.coach), at, year=YEAR, month=MONTH, cells=cells)
    return at, ann, bart


def test_the_workshops_xlsx_totals_are_the_sum_of_the_hours(net, login):
    at, _ann, _bart = _month(net)
    response = login(net.coach).get(reverse("workcare:hours_xlsx", args=[at.pk, YEAR, MONTH]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "Participant" and rows[1][1] == 1 and rows[1][31] == 31
    by_name = {row[0]: row for row in rows[2:]}
    # Ann: 3 x 3.5 = 10.5; Bart: 6; together 16.5.
    assert by_name["Ann Aerts"][-1] == 10.5
    assert by_name["Bart =Boon"][-1] == 6
    assert rows[-1][-1] == 16.5


def test_one_participants_pdf_shows_only_their_hours(net, login):
    at, ann, _bart = _month(net)
    url = reverse("workcare:hours_pdf", args=[at.pk, YEAR, MONTH]) + f"?participant={ann.pk}"
    response = login(net.coach).get(url)
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "Ann Aerts" in text and "Boon" not in text
    assert "10.5" in text


def test_the_workshops_pdf_lists_everyone(net, login):
    at, _ann, _bart = _month(net)
    text = pdf_text(login(net.coach).get(reverse("workcare:hours_pdf", args=[at.pk, YEAR, MONTH])).content)
    assert "Ann Aerts" in text and "Bart =Boon" in text
    assert "16.5" in text  # 3 x 3.5 + 6


def test_a_participant_not_at_the_workshop_is_404(net, login):
    at, _ann, _bart = _month(net)
    stranger = workcare_trajectory(net, first_name="Vreemd")
    url = reverse("workcare:hours_pdf", args=[at.pk, YEAR, MONTH]) + f"?participant={stranger.pk}"
    assert login(net.coach).get(url).status_code == 404


@pytest.mark.parametrize("who", ["funder", "outsider", "gtb_coach", "care"])
def test_outsiders_get_404_on_the_hours_files(net, client, who):
    at, _ann, _bart = _month(net)
    client.force_login(getattr(net, who))
    for name in ("hours_xlsx", "hours_pdf"):
        assert client.get(reverse(f"workcare:{name}", args=[at.pk, YEAR, MONTH])).status_code == 404
