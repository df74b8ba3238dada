"""The accounts area's background jobs (docs/jobs.md): the password-reset mail.

The reset page queues `password_reset_mail` with the account's id and what the link needs (the
language of the page, the site's domain and protocol), never the link's token: the queue table and
the network admin's job page show a job's arguments. The job makes the token when it runs, with
Django's `default_token_generator`, so the link is valid for PASSWORD_RESET_TIMEOUT from the moment
the mail is sent. A mail the server refuses makes the job fail; the runner tries it again later
(each try makes a new token; any of them works until the password changes or it expires).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from werkbrug.jobs.runner import job
from werkbrug.network.models import User

SUBJECT_TEMPLATE = "accounts/password_reset_subject.txt"
BODY_TEMPLATE = "accounts/password_reset_email.txt"


def valid_minutes() -> int:
    return max(1, settings.PASSWORD_RESET_TIMEOUT // 60)


@job
def password_reset_mail(user_id: int, language: str, domain: str, protocol: str) -> int:
    """Send the reset link to an account that can still use it (active, with a usable password and
    an address: checked again, it may have changed since the page queued the mail)."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.has_usable_password() or not user.email:
        return 0
    context = {
        "domain": domain,
        "protocol": "https" if protocol == "https" else "http",
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
        "valid_minutes": valid_minutes(),
    }
    known = {code for code, _name in settings.LANGUAGES}
    with translation.override(language if language in known else settings.LANGUAGE_CODE):
        subject = "".join(render_to_string(SUBJECT_TEMPLATE, context).splitlines())
        body = render_to_string(BODY_TEMPLATE, context)
    # No try/except: a refused mail fails the job, and the runner queues it again (docs/jobs.md).
    return send_mail(subject, body, None, [user.email])
