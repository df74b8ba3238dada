"""The upload pages of the library, outreach and work-care: one shared action page (issue 10)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from werkbrug.outreach.tests.data import site
from werkbrug.testing import client_of
from werkbrug.workcare.tests.data import agreement, workcare_trajectory, workshop

pytestmark = pytest.mark.django_db


def test_the_upload_pages_share_one_multipart_action_page(net):
    """The library's, the outreach agreement's and the work-care signature's upload forms are the one
    action page (core/upload_action.html) posted as multipart, with the page's crumbs and intro."""
    library = client_of(net.admin).get(reverse("library:document_new")).content.decode()
    outreach_site = site(net)
    outreach = client_of(net.coach).get(reverse("outreach:agreement_new", args=[outreach_site.pk]))
    trajectory = workcare_trajectory(net)
    draft = agreement(net, trajectory, workshop(net))
    sign = client_of(net.coach).get(reverse("workcare:agreement_sign", args=[trajectory.pk, draft.pk]))
    for page in (library, outreach.content.decode(), sign.content.decode()):
        assert page.count('<form method="post" enctype="multipart/form-data" novalidate>') == 1, page
        assert 'class="breadcrumb"' in page
    assert "Upload the signed copy if you have it" in sign.content.decode()  # the intro, shown now
