"""The chooser of the consent form (core.choosers): the organisation a consent names. The form
validates against this same queryset (clients.models.consent_recipients). No client data."""

from __future__ import annotations

from werkbrug.clients.forms import recipient_label
from werkbrug.clients.models import consent_recipients
from werkbrug.core.choosers import register
from werkbrug.network.choosers import organisation_chooser

register(
    organisation_chooser(
        "consent_recipients",
        lambda actor: consent_recipients(),
        # The user's own organisation says what a consent naming it is for.
        label_for_actor=lambda actor, row: recipient_label(row, actor.organisation),
    )
)
