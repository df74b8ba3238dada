"""The review pages: who may open, score, finalise and read; bad input; finalising twice; the
rows behind a figure through clients.access; constant queries; PDF and XLSX."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from werkbrug.fidelity.actions import open_review
from werkbrug.fidelity.models import ItemScore, Review, ReviewStatus
from werkbrug.fidelity.tests.build import D, employer_contact, ips, placement, visible_ips
from werkbrug.network.models import Role
from werkbrug.teams.models import Team, TeamKind, TeamMember
from werkbrug.testing import actor_for, make_user, pdf_text

pytestmark = pytest.mark.django_db


def a_review(net, scale="ips25", year=2025) -> Review:
    return open_review(
        actor_for(net.coordinator), scale=scale, period_from=D(year, 1, 1), period_to=D(year, 12, 31)
    )


def score_all(review: Review, score: int = 4) -> None:
    review.scores.filter(score__isnull=True).update(score=score, note="seen")


def test_coordinator_opens_a_review_with_the_computed_items_filled_in(net, login):
    trajectory = ips(net, D(2025, 3, 1))
    employer_contact(net, D(2025, 3, 11), trajectory=trajectory)
    client = login(net.coordinator)
    response = client.post(
        reverse("fidelity:open"),
        {"scale": "nl", "team": "", "period_from": "2025-01-01", "period_to": "2025-12-31"},
    )
    review = Review.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("fidelity:detail", args=[review.pk])
    assert review.scores.count() == 26 + 25
    row = review.scores.get(item="rapid_search_work", column="work")
    assert (row.computed, row.score) == (5, 5)  # 10 days to the first employer contact
    page = client.get(response["Location"]).content.decode()
    assert 'data-figure="first_employer_contact_days"' in page
    assert "10.0" in page


def test_review_for_an_ips_team_counts_only_its_coaches(net):
    other = make_user("coach2", net.sara, Role.COACH)
    team = Team.objects.create(name="IPS-team SaRA", kind=TeamKind.IPS_TEAM, organisation=net.sara)
    TeamMember.objects.create(team=team, user=net.coach, organisation=net.sara)
    ips(net, D(2025, 1, 2))
    ips(net, D(2025, 1, 2), coach=other)
    review = open_review(
        actor_for(net.coordinator),
        scale="ips25",
        team=team,
        period_from=D(2025, 1, 1),
        period_to=D(2025, 6, 30),
    )
    assert review.coach_ids == [net.coach.pk]
    assert review.figure("caseload")["counts"]["trajectories"] == 1


@pytest.mark.parametrize("persona", ["coach", "funder", "outsider", "admin"])
def test_only_a_coordinator_may_open_a_review(net, login, persona):
    client = login(getattr(net, persona))
    assert client.get(reverse("fidelity:open")).status_code == 404
    client.post(
        reverse("fidelity:open"), {"scale": "nl", "period_from": "2025-01-01", "period_to": "2025-12-31"}
    )
    assert not Review.objects.exists()


def test_outsiders_get_404_on_every_review_page(net, login):
    review = a_review(net)
    other_coordinator = make_user("gtbcoordinator", net.gtb, Role.COORDINATOR)
    urls = [
        reverse("fidelity:detail", args=[review.pk]),
        reverse("fidelity:pdf", args=[review.pk]),
        reverse("fidelity:xlsx", args=[review.pk]),
        reverse("fidelity:rows", args=[review.pk, "caseload"]),
        reverse("fidelity:score", args=[review.pk, "caseload", "total"]),
    ]
    for user in (other_coordinator, net.funder, net.outsider, net.admin, net.care):
        client = login(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
        assert client.post(reverse("fidelity:finalise", args=[review.pk])).status_code == 404
    assert Review.objects.get().status == ReviewStatus.DRAFT
    # Another organisation's coordinator sees none of it in the list either.
    page = login(other_coordinator).get(reverse("fidelity:index"))
    assert page.status_code == 200
    assert reverse("fidelity:detail", args=[review.pk]) not in page.content.decode()


def test_a_coach_of_the_organisation_reads_but_does_not_score(net, login):
    review = a_review(net)
    client = login(net.coach)
    page = client.get(reverse("fidelity:detail", args=[review.pk]))
    assert page.status_code == 200
    assert reverse("fidelity:score", args=[review.pk, "caseload", "total"]) not in page.content.decode()
    url = reverse("fidelity:score", args=[review.pk, "disclosure", "total"])
    assert client.post(url, {"score": "5", "note": "goed"}).status_code == 404
    assert ItemScore.objects.get(review=review, item="disclosure").score is None


def test_a_reviewer_coach_scores_an_item_with_a_note(net, login):
    review = a_review(net)
    review.reviewers.add(net.coach)
    client = login(net.coach)
    url = reverse("fidelity:score", args=[review.pk, "disclosure", "total"])
    response = client.post(url, {"score": "4", "note": "Besproken met elke cliënt."})
    assert response.status_code == 302
    row = ItemScore.objects.get(review=review, item="disclosure")
    assert (row.score, row.note, row.scored_by) == (4, "Besproken met elke cliënt.", net.coach)


def test_bad_input_on_the_open_form_writes_nothing(net, login):
    client = login(net.coordinator)
    for data in (
        {"scale": "nl", "period_from": "2025-12-31", "period_to": "2025-01-01"},
        {"scale": "nope", "period_from": "2025-01-01", "period_to": "2025-12-31"},
        {"scale": "nl", "period_from": "0001-01-01", "period_to": "2025-12-31"},
        {"scale": "nl", "period_from": "2020-01-01", "period_to": "2025-12-31"},
    ):
        response = client.post(reverse("fidelity:open"), data)
        assert response.status_code == 400, data
        assert b"error" in response.content
    assert not Review.objects.exists()


def test_another_organisations_team_is_refused(net, login):
    team = Team.objects.create(name="IPS GTB", kind=TeamKind.IPS_TEAM, organisation=net.gtb)
    client = login(net.coordinator)
    data = {"scale": "nl", "team": team.pk, "period_from": "2025-01-01", "period_to": "2025-12-31"}
    assert client.post(reverse("fidelity:open"), data).status_code == 400
    assert not Review.objects.exists()


def test_overriding_a_computed_score_needs_a_note_and_keeps_the_computed_one(net, login):
    for _ in range(21):
        ips(net, D(2025, 1, 10), client=None)
    review = a_review(net)
    client = login(net.coordinator)
    url = reverse("fidelity:score", args=[review.pk, "caseload", "total"])
    assert client.post(url, {"score": "5", "note": "  "}).status_code == 400
    assert client.post(url, {"score": "9", "note": "x"}).status_code == 400
    assert ItemScore.objects.get(review=review, item="caseload").score == 4
    assert client.post(url, {"score": "5", "note": "Twee coaches op ziekteverlof geteld."}).status_code == 302
    row = ItemScore.objects.get(review=review, item="caseload")
    assert (row.computed, row.score, row.overridden) == (4, 5, True)
    assert "(computed: 4)" in client.get(reverse("fidelity:detail", args=[review.pk])).content.decode()


def test_an_item_whose_columns_may_not_differ_is_scored_in_both(net, login):
    review = a_review(net, scale="nl")
    client = login(net.coordinator)
    client.post(
        reverse("fidelity:score", args=[review.pk, "unit", "work"]), {"score": "3", "note": "één coach"}
    )
    assert set(review.scores.filter(item="unit").values_list("column", "score")) == {
        ("work", 3),
        ("education", 3),
    }
    client.post(
        reverse("fidelity:score", args=[review.pk, "disclosure", "work"]), {"score": "5", "note": "ok"}
    )
    assert set(review.scores.filter(item="disclosure").values_list("column", "score")) == {
        ("work", 5),
        ("education", None),
    }


def test_finalising_needs_every_item_scored(net, login):
    review = a_review(net)
    client = login(net.coordinator)
    client.post(reverse("fidelity:finalise", args=[review.pk]))
    assert Review.objects.get().status == ReviewStatus.DRAFT


def test_finalising_twice_is_refused_and_changes_nothing(net, login):
    review = a_review(net)
    score_all(review)
    client = login(net.coordinator)
    assert client.post(reverse("fidelity:finalise", args=[review.pk])).status_code == 302
    first = Review.objects.get()
    assert first.status == ReviewStatus.FINAL
    client.post(reverse("fidelity:finalise", args=[review.pk]))
    again = Review.objects.get()
    assert again.finalised_at == first.finalised_at
    # A final review no longer changes.
    url = reverse("fidelity:score", args=[review.pk, "disclosure", "total"])
    assert client.post(url, {"score": "1", "note": "te laat"}).status_code == 400
    assert ItemScore.objects.get(review=review, item="disclosure").score == 4
    assert client.post(reverse("fidelity:refresh", args=[review.pk])).status_code == 302
    assert Review.objects.get().figures == first.figures


def test_the_rows_behind_a_figure_show_only_visible_clients(net, login):
    seen = visible_ips(net, D(2025, 3, 1))
    hidden = ips(net, D(2025, 3, 1))  # a client SaRA has no consent for
    review = a_review(net)
    assert set(review.figure("caseload")["ids"]) == {seen.pk, hidden.pk}
    page = login(net.coordinator).get(reverse("fidelity:rows", args=[review.pk, "caseload"])).content.decode()
    assert reverse("trajectories:detail", args=[seen.pk]) in page
    assert reverse("trajectories:detail", args=[hidden.pk]) not in page
    assert login(net.coordinator).get(reverse("fidelity:rows", args=[review.pk, "nope"])).status_code == 404


def test_a_trajectory_with_several_jobs_is_one_trajectory_counted(net, login):
    # Two jobs on one trajectory (one ended in the period) and one on another: three jobs, two
    # trajectories behind the job figures, one behind the job-loss contact.
    twice, once = visible_ips(net, D(2025, 1, 2)), visible_ips(net, D(2025, 1, 2))
    placement(net, twice, D(2025, 2, 1), ended_on=D(2025, 4, 1))
    placement(net, twice, D(2025, 5, 1))
    placement(net, once, D(2025, 3, 1))
    review = a_review(net)
    for key in ("competitive_share", "job_type_diversity", "employer_diversity"):
        figure = review.figure(key)
        assert figure["counts"]["jobs"] == 3
        assert sorted(figure["ids"]) == sorted([twice.pk, once.pk])
    assert review.figure("job_loss_contact")["ids"] == [twice.pk]
    page = login(net.coordinator).get(reverse("fidelity:detail", args=[review.pk])).content.decode()
    rows = login(net.coordinator).get(reverse("fidelity:rows", args=[review.pk, "competitive_share"]))
    assert "2 trajectories counted" in page and "3 trajectories counted" not in page
    assert rows.context["counted"] == 2 and len(rows.context["page"].object_list) == 2


def _many(net, n):
    for i in range(n):
        t = ips(net, D(2025, 1, 2))
        placement(net, t, D(2025, 2, 1), ended_on=D(2025, 6, 1) if i % 2 else None)
        employer_contact(net, D(2025, 3, 1), trajectory=t)


def test_pages_run_a_constant_number_of_queries(net, login, django_assert_max_num_queries):
    visible_ips(net, D(2025, 3, 1))
    client = login(net.coordinator)
    small = a_review(net)
    urls = lambda review: [  # noqa: E731
        reverse("fidelity:index"),
        reverse("fidelity:detail", args=[review.pk]),
        reverse("fidelity:rows", args=[review.pk, "caseload"]),
    ]
    counts = []
    for url in urls(small):
        with django_assert_max_num_queries(40) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured))
    _many(net, 15)
    for year in range(2019, 2024):
        score_all(a_review(net, scale="nl", year=year))
    big = a_review(net, year=2024)
    for url, before in zip(urls(big), counts, strict=True):
        with django_assert_max_num_queries(before) as captured:
            assert client.get(url).status_code == 200


def test_opening_a_review_runs_a_constant_number_of_queries(net, django_assert_max_num_queries):
    _many(net, 1)
    with django_assert_max_num_queries(60) as captured:
        a_review(net)
    few = len(captured)
    _many(net, 20)
    with django_assert_max_num_queries(few):
        a_review(net, year=2024)


def test_pdf_and_xlsx_carry_the_scores_and_totals(net, login):
    from openpyxl import load_workbook

    for _ in range(3):
        ips(net, D(2025, 1, 10))
    review = a_review(net)
    score_all(review, 3)
    client = login(net.coordinator)
    response = client.get(reverse("fidelity:pdf", args=[review.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Caseload per coach" in text
    # Computed: the caseload (3 per coach) 5; the first employer contact (none in the 355 days
    # since the starts) 1; face-to-face employer contacts (none) 1. The other 22 items scored 3 by
    # hand: 66 + 7 = 73, the highest total that is not IPS.
    total = 22 * 3 + 5 + 1 + 1
    print(text[:700])
    assert f"{total} / 125" in text
    response = client.get(reverse("fidelity:xlsx", args=[review.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert ["IPS-25", total, 125, "not IPS", None] in values


def test_fidelity_now_computes_the_last_twelve_months_for_a_team(net, login):
    today = timezone.localdate()
    other = make_user("coach2", net.sara, Role.COACH)
    team = Team.objects.create(name="IPS-team SaRA", kind=TeamKind.IPS_TEAM, organisation=net.sara)
    TeamMember.objects.create(team=team, user=other, organisation=net.sara)
    for coach, competitive in ((net.coach, True), (other, False)):
        trajectory = ips(net, today - datetime.timedelta(days=60), coach=coach)
        placement(net, trajectory, today - datetime.timedelta(days=30), competitive=competitive)
    client = login(net.coordinator)
    everyone = client.get(reverse("fidelity:live"), {"scale": "ips25"}).content.decode()
    assert "50.0%" in everyone  # 1 of 2 jobs competitive
    only_team = client.get(reverse("fidelity:live"), {"scale": "ips25", "team": team.pk}).content.decode()
    assert "0.0%" in only_team and "50.0%" not in only_team
    assert not Review.objects.exists()  # nothing stored


def test_fidelity_now_is_404_for_outsiders(net, login):
    for user in (net.funder, net.outsider, net.admin, net.care, net.screener):
        assert login(user).get(reverse("fidelity:live")).status_code == 404
        assert login(user).get(reverse("fidelity:index")).status_code == 404


def test_fidelity_now_runs_a_constant_number_of_queries(net, login, django_assert_max_num_queries):
    client = login(net.coordinator)
    _many(net, 1)
    with django_assert_max_num_queries(60) as captured:
        assert client.get(reverse("fidelity:live")).status_code == 200
    _many(net, 20)
    with django_assert_max_num_queries(len(captured)):
        assert client.get(reverse("fidelity:live")).status_code == 200


def test_opening_the_same_review_twice_makes_one(net, login):
    client = login(net.coordinator)
    data = {"scale": "nl", "team": "", "period_from": "2025-01-01", "period_to": "2025-12-31"}
    assert client.post(reverse("fidelity:open"), data).status_code == 302
    second = client.post(reverse("fidelity:open"), data)
    assert second.status_code == 400
    assert "already open" in second.content.decode()
    assert Review.objects.count() == 1
    assert ItemScore.objects.count() == 26 + 25


def test_a_score_saved_meanwhile_by_another_reviewer_is_not_overwritten(net, login):
    review = a_review(net)
    review.reviewers.add(net.coach)
    url = reverse("fidelity:score", args=[review.pk, "disclosure", "total"])
    coordinator = login(net.coordinator)
    page = coordinator.get(url).content.decode()
    seen = page.split('name="seen" value="')[1].split('"')[0]
    # The coach scores the item after the coordinator opened the form.
    from django.test import Client as WebClient

    coach = WebClient()
    coach.force_login(net.coach)
    assert coach.post(url, {"score": "2", "note": "Niet besproken."}).status_code == 302
    refused = coordinator.post(url, {"score": "5", "note": "Altijd besproken.", "seen": seen})
    assert refused.status_code == 400
    assert "scored this item" in refused.content.decode()
    row = ItemScore.objects.get(review=review, item="disclosure")
    assert (row.score, row.note, row.scored_by) == (2, "Niet besproken.", net.coach)


def test_the_menu_links_to_fidelity_for_coordinators_and_coaches_only(net, login):
    link = f'href="{reverse("fidelity:index")}"'
    for user, shown in ((net.coordinator, True), (net.coach, True), (net.care, False), (net.funder, False)):
        page = login(user).get("/", follow=True).content.decode()
        assert (link in page) is shown, user
