"""Issue 13 point 1: the triage suggestion preselects the referral line, never a silent default, and
choosing another line says why the suggestion was made."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from werkbrug.network.models import ReferralLine
from werkbrug.referrals.models import Referral
from werkbrug.referrals.tests.test_referrals import referral_data
from werkbrug.testing import click_through

SARA_INDICATIONS = ["low_threshold", "psychiatric_expertise", "shared_focus"]


def selected_line(html: str) -> list[str]:
    """The line the page's line chooser holds (core.choosers: the hidden pk), read from the page;
    with its label in the search box when one is chosen."""
    chosen = re.findall(r'<input type="hidden" name="line" value="([^"]*)"', html)
    box = re.findall(r'name="line__q" value="([^"]*)"', html)
    assert len(chosen) == len(box) == 1
    if chosen[0]:
        assert box[0] == ReferralLine.objects.get(pk=chosen[0]).name
    else:
        assert box[0] == ""
    return chosen


def test_without_a_suggestion_no_line_is_preselected(net, login):
    client = net.new_client()
    response = login(net.care).get(reverse("referrals:create", args=[client.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert selected_line(html) == [""]  # the empty "choose a line" option, not the first line
    assert response.context["form"]["line"].value() is None


def test_the_suggested_line_is_preselected(net, login):
    client = net.new_client()
    response = login(net.care).get(
        reverse("referrals:create", args=[client.pk]), {"indications": SARA_INDICATIONS}
    )
    assert selected_line(response.content.decode()) == [str(net.coach_line.pk)]
    assert sorted(response.context["form"]["indications"].value()) == sorted(SARA_INDICATIONS)


def test_a_suggestion_of_the_case_team_only_preselects_no_line(net, login):
    client = net.new_client()
    response = login(net.care).get(
        reverse("referrals:create", args=[client.pk]), {"indications": ["unclear_lead"]}
    )
    assert selected_line(response.content.decode()) == [""]


def test_sending_without_a_line_is_refused_and_nothing_is_written(net, login):
    client = net.new_client()
    response = login(net.care).post(
        reverse("referrals:create", args=[client.pk]), referral_data(net, line="")
    )
    assert response.status_code == 200
    assert "line" in response.context["form"].errors
    assert not Referral.objects.filter(client=client).exists()


def test_another_line_than_the_suggested_one_is_allowed_and_explained(net, login):
    client = net.new_client()
    web = login(net.care)
    partial = web.get(
        reverse("referrals:suggestion"), {"indications": SARA_INDICATIONS, "line": net.gtb_line.pk}
    ).content.decode()
    assert f'data-suggested-line="{net.coach_line.pk}"' in partial
    why = re.search(r'<p class="suggestion-why" id="suggestion-why"( hidden)?>', partial)
    assert why is not None and why.group(1) is None  # shown: GTB is not the suggested line
    same = web.get(
        reverse("referrals:suggestion"), {"indications": SARA_INDICATIONS, "line": net.coach_line.pk}
    ).content.decode()
    assert 'id="suggestion-why" hidden' in same

    response = web.post(
        reverse("referrals:create", args=[client.pk]),
        referral_data(net, line=net.gtb_line.pk, indications=SARA_INDICATIONS),
    )
    assert response.status_code == 302
    assert Referral.objects.get(client=client).line == net.gtb_line


def test_outsider_gets_404_on_the_referral_form_with_indications(net, login):
    client = net.new_client()
    response = login(net.outsider).get(
        reverse("referrals:create", args=[client.pk]), {"indications": SARA_INDICATIONS}
    )
    assert response.status_code == 404


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_browser_the_referral_form_preselects_the_suggested_line(browse):
    from werkbrug.testing import build_network

    net = build_network()
    client = net.new_client()
    page = browse(net.care)
    page.goto(f"/referrals/new/{client.pk}/")
    line = page.locator("input[name=line]")
    box = page.locator("input[name=line__q]")
    assert line.input_value() == ""  # nothing chosen yet, no silent GTB
    for code in SARA_INDICATIONS:
        page.check(f"input[name=indications][value={code}]")
    page.wait_for_selector(f"#suggestion[data-suggested-line='{net.coach_line.pk}']")
    page.wait_for_function(
        "v => document.querySelector('input[name=line]').value === v", arg=str(net.coach_line.pk)
    )
    assert box.input_value() == net.coach_line.name
    why = page.locator("#suggestion-why")
    assert why.is_hidden()
    # Choosing another line by hand: allowed, and the page says why SaRA was suggested.
    box.fill("GTB traject")
    page.locator("[data-chooser-pick]", has_text=net.gtb_line.name).click()
    why.wait_for(state="visible")
    assert "SaRA arbeidscoach" in why.inner_text()
    # A later suggestion no longer overrides the hand-picked line.
    with page.expect_response(lambda r: "/referrals/suggestion/" in r.url):
        page.check("input[name=indications][value=work_attitudes]")
    # htmx swaps the new suggestion in after the response: wait for it (expect retries).
    expect(page.locator("#suggestion li")).to_have_count(len(SARA_INDICATIONS) + 1)
    page.wait_for_selector("#suggestion-why:visible")
    assert line.input_value() == str(net.gtb_line.pk)
    assert box.input_value() == net.gtb_line.name
    page.fill("textarea[name=question]", "Wil werken.")
    page.check("input[name=consent]")
    click_through(page, "main form[method=post] button[type=submit]")
    assert Referral.objects.get(client=client).line == net.gtb_line


def test_without_javascript_a_line_typed_over_the_suggested_one_is_the_one_sent(net, login):
    # The page prefilled SaRA (the suggestion); the user typed GTB over it and posted the form as is.
    client = net.new_client()
    data = referral_data(net, line=net.coach_line.pk, indications=SARA_INDICATIONS)
    data.update(line__label=net.coach_line.name, line__q="GTB")
    response = login(net.care).post(reverse("referrals:create", args=[client.pk]), data)
    assert response.status_code == 302
    assert Referral.objects.get(client=client).line == net.gtb_line
