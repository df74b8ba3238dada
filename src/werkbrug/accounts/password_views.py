"""Password reset by e-mail: Django's own views, with our templates (docs/security.md).

The page answers the same whether or not the address belongs to someone; the mail holds the
greeting, the link and how long it works, nothing else (no client data, not even the username).
The link works once and expires after PASSWORD_RESET_TIMEOUT (one hour). Setting a new password does
not log in: the user logs in with it, and gives the second factor if they have one.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy

from werkbrug.core.policy import public_view


def valid_minutes() -> int:
    return max(1, settings.PASSWORD_RESET_TIMEOUT // 60)


class PasswordResetView(auth_views.PasswordResetView):
    @property
    def extra_email_context(self) -> dict[str, Any]:  # type: ignore[override]
        return {"valid_minutes": valid_minutes()}


class PasswordResetSentView(auth_views.PasswordResetDoneView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs) | {"valid_minutes": valid_minutes()}


password_reset = public_view(
    PasswordResetView.as_view(
        template_name="accounts/password_reset.html",
        email_template_name="accounts/password_reset_email.txt",
        subject_template_name="accounts/password_reset_subject.txt",
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
