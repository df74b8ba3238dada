"""Password reset by e-mail: Django's own views, with our templates (docs/security.md).

The page answers the same whether or not the address belongs to someone; the mail holds the
greeting, the link and how long it works, nothing else (no client data, not even the username).
The link works once and expires after PASSWORD_RESET_TIMEOUT (one hour). Setting a new password does
not log in: the user logs in with it, and gives the second factor if they have one.

Every reset mail is written to the audit trail, and an account gets at most
PASSWORD_RESET_MAILS_PER_HOUR of them in an hour: asking more often answers the same page and sends
nothing, so the page cannot be used to flood someone's mailbox.

The mail is not sent in the request: the page queues `tasks.password_reset_mail` (after the commit,
with the audit row) with the account's id only, and the job makes the link's token and sends it, with
the runner's retries. A slow or failing mail server neither holds the request nor shows an error.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.sites.shortcuts import get_current_site
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse_lazy
from django.utils import timezone, translation

from werkbrug.accounts import tasks
from werkbrug.core import audit
from werkbrug.core.actor import Actor
from werkbrug.core.models import AuditAction, AuditEvent
from werkbrug.core.policy import public_view
from werkbrug.jobs.runner import enqueue_on_commit
from werkbrug.network.models import User

# What the audit trail calls a reset mail sent to an account.
RESET_MAIL = "password_reset_mail"


class LimitedPasswordResetForm(PasswordResetForm):
    """Django's form, but an account that had its hourly share of reset mails gets no more, each
    mail is audited, and the form queues one mail job per user it yields instead of sending it."""

    def get_users(self, email: str) -> Iterator[User]:  # type: ignore[override]
        since = timezone.now() - timedelta(hours=1)
        for user in super().get_users(email):
            sent = AuditEvent.objects.filter(
                user=user, action=AuditAction.CREATE, object_type=RESET_MAIL, at__gte=since
            ).count()
            if sent >= settings.PASSWORD_RESET_MAILS_PER_HOUR:
                continue
            audit.record(
                Actor(user=user, membership=None),
                AuditAction.CREATE,
                None,
                client_id=None,
                object_type=RESET_MAIL,
            )
            yield user

    def save(  # type: ignore[override]
        self,
        domain_override: str | None = None,
        use_https: bool = False,
        request: HttpRequest | None = None,
        **unused: Any,
    ) -> None:
        """Queue the mail for each account of the address, with its id and what the link needs; the
        token is made by the job (the queue table shows the arguments). Nothing is queued for an
        address nobody has, and the page answers the same."""
        domain = domain_override or get_current_site(request).domain
        protocol = "https" if use_https else "http"
        language = translation.get_language() or settings.LANGUAGE_CODE
        with transaction.atomic():  # the audit row and the job: both or neither
            for user in self.get_users(self.cleaned_data["email"]):
                enqueue_on_commit(tasks.password_reset_mail, user.pk, language, domain, protocol)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = LimitedPasswordResetForm


class PasswordResetSentView(auth_views.PasswordResetDoneView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs) | {"valid_minutes": tasks.valid_minutes()}


password_reset = public_view(
    PasswordResetView.as_view(
        template_name="accounts/password_reset.html",
        success_url=reverse_lazy("accounts:password_reset_sent"),
    )
)
password_reset_sent = public_view(
    PasswordResetSentView.as_view(template_name="accounts/password_reset_sent.html")
)
password_reset_confirm = public_view(
    auth_views.PasswordResetConfirmView.as_view(
        template_name="accounts/password_reset_confirm.html",
        success_url=reverse_lazy("accounts:password_reset_complete"),
        post_reset_login=False,
    )
)
password_reset_complete = public_view(
    auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html")
)
