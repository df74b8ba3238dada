"""Writes on the network: organisations, users and memberships, referral lines, sub-regions.

Only a network admin may call these. Each is atomic, validated and audited; none touches client data,
so every audit event carries client_id=None.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any, TypeVar

from django.contrib.auth import password_validation
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from werkbrug.core import audit
from werkbrug.core.actor import Actor
from werkbrug.core.exceptions import DomainError
from werkbrug.core.models import AuditAction
from werkbrug.network.indications import published
from werkbrug.network.models import (
    Membership,
    NetworkSettings,
    Organisation,
    ReferralLine,
    Role,
    SubRegion,
    TrajectoryType,
    User,
)

M = TypeVar("M", bound=models.Model)

# Who may be a line's fixed screener: someone who screens or coordinates at the owning organisation.
SCREENING_ROLES = (Role.SCREENER, Role.COORDINATOR)


# --- helpers ---------------------------------------------------------------------------------------


def _require_admin(actor: Actor) -> None:
    if not actor.has_role(Role.NETWORK_ADMIN):
        raise DomainError(_("Only a network admin can change the network."))


def _full_clean(obj: models.Model, *, exclude: Iterable[str] = ()) -> None:
    """Model validation (lengths, choices, uniqueness) as a DomainError, so that a form shows it."""
    try:
        obj.full_clean(exclude=list(exclude))
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise DomainError(" ".join(messages), field=None if field == NON_FIELD_ERRORS else field) from exc


def _refuse_duplicate_name(model: type[models.Model], name: str, pk: int | None, message: str) -> None:
    # The unique index is case-sensitive; "GTB Antwerpen" and "gtb antwerpen" are the same place.
    if model._default_manager.filter(name__iexact=name).exclude(pk=pk).exists():
        raise DomainError(message, field="name")


def _save(obj: models.Model, message: str, field: str | None = "name") -> None:
    """Save; a unique index that a concurrent request beat us to is a form message, not a 500."""
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:
        raise DomainError(message, field=field) from exc


def _fresh(obj: M) -> M:
    """The stored row, locked: a bound ModelForm has already written the new values on `obj`."""
    return type(obj)._default_manager.select_for_update().get(pk=obj.pk)


def _apply(obj: models.Model, values: dict[str, Any]) -> list[str]:
    """Set the values and return the names of those that changed, for the audit trail."""
    changed = []
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed


def _record(actor: Actor, action: AuditAction, obj: models.Model, summary: str) -> None:
    audit.record(actor, action, obj, client_id=None, summary=summary)


def _changes(what: str, changed: list[str]) -> str:
    return f"{what} changed: {', '.join(changed) or 'nothing'}"


# --- organisations ---------------------------------------------------------------------------------


def _check_organisation(actor: Actor, organisation: Organisation) -> None:
    _refuse_duplicate_name(
        Organisation, organisation.name, organisation.pk, _("An organisation with this name already exists.")
    )
    _full_clean(organisation)
    if (
        not organisation.is_active
        and actor.organisation is not None
        and actor.organisation.pk == organisation.pk
    ):
        raise DomainError(_("You cannot deactivate the organisation you are acting for."), field="is_active")


@transaction.atomic
def create_organisation(
    actor: Actor,
    *,
    name: str,
    kind: str,
    org_type: str,
    subregion: SubRegion | None = None,
    is_active: bool = True,
    retention_years: int | None = None,
) -> Organisation:
    _require_admin(actor)
    organisation = Organisation(
        name=name,
        kind=kind,
        org_type=org_type,
        subregion=subregion,
        is_active=is_active,
        retention_years=retention_years,
    )
    _check_organisation(actor, organisation)
    _save(organisation, _("An organisation with this name already exists."))
    _record(actor, AuditAction.CREATE, organisation, f"organisation created: {organisation.name}")
    return organisation


@transaction.atomic
def update_organisation(
    actor: Actor,
    organisation: Organisation,
    *,
    name: str,
    kind: str,
    org_type: str,
    subregion: SubRegion | None,
    is_active: bool,
    retention_years: int | None = None,
) -> Organisation:
    _require_admin(actor)
    organisation = _fresh(organisation)
    changed = _apply(
        organisation,
        {
            "name": name,
            "kind": kind,
            "org_type": org_type,
            "subregion": subregion,
            "is_active": is_active,
            "retention_years": retention_years,
        },
    )
    _check_organisation(actor, organisation)
    _save(organisation, _("An organisation with this name already exists."))
    _record(actor, AuditAction.UPDATE, organisation, _changes("organisation", changed))
    return organisation


@transaction.atomic
def set_organisation_active(actor: Actor, organisation: Organisation, *, active: bool) -> Organisation:
    """Deactivating keeps everything; the members can no longer act for the organisation."""
    _require_admin(actor)
    organisation = _fresh(organisation)
    if organisation.is_active == active:
        return organisation
    organisation.is_active = active
    _check_organisation(actor, organisation)
    organisation.save(update_fields=["is_active"])
    _record(
        actor,
        AuditAction.UPDATE,
        organisation,
        f"organisation {'reactivated' if active else 'deactivated'}: {organisation.name}",
    )
    return organisation


# --- users and memberships -------------------------------------------------------------------------


def _check_password(password: str, user: User) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), field="password") from exc


def _check_membership(membership: Membership) -> None:
    if not Decimal(0) <= membership.fte <= Decimal(1):
        raise DomainError(_("The FTE lies between 0 and 1."), field="fte")
    if membership.role not in Role.values:
        raise DomainError(_("Unknown role."), field="role")
    clash = Membership.objects.filter(
        user_id=membership.user_id, organisation_id=membership.organisation_id, role=membership.role
    ).exclude(pk=membership.pk)
    if clash.exists():
        raise DomainError(
            _("This person already has this role at this organisation. Change that membership instead.")
        )
    _full_clean(membership, exclude=["user"])


def _save_membership(membership: Membership) -> None:
    """Check and save; losing a race to the unique index gives the clash check's message."""
    _check_membership(membership)
    _save(
        membership,
        _("This person already has this role at this organisation. Change that membership instead."),
        None,
    )


def _check_own_membership(actor: Actor, membership: Membership) -> None:
    # Removing or demoting the membership one acts through would lock the admin out mid-request.
    if actor.membership is not None and actor.membership.pk == membership.pk:
        raise DomainError(_("You cannot change or remove the membership you are acting through."))


def _check_screening_kept(user: User, organisation: Organisation, *, leaving: Membership) -> None:
    """Refuse a change that leaves `user` as the fixed screener of a line they may no longer screen."""
    lines = list(
        ReferralLine.objects.filter(organisation=organisation, screeners=user, is_active=True).values_list(
            "name", flat=True
        )
    )
    if not lines:
        return
    still_qualifies = (
        Membership.objects.filter(
            user=user, organisation=organisation, role__in=SCREENING_ROLES, is_active=True
        )
        .exclude(pk=leaving.pk)
        .exists()
    )
    if not still_qualifies:
        raise DomainError(
            _("%(user)s is the screener of %(lines)s. Choose another screener for that line first.")
            % {"user": user, "lines": ", ".join(lines)}
        )


def _new_membership(
    actor: Actor,
    user: User,
    *,
    organisation: Organisation,
    role: str,
    capacity: int | None,
    fte: Decimal,
) -> Membership:
    if not organisation.is_active:
        raise DomainError(_("This organisation is not active."), field="organisation")
    membership = Membership(user=user, organisation=organisation, role=role, capacity=capacity, fte=fte)
    _save_membership(membership)
    _record(
        actor,
        AuditAction.CREATE,
        membership,
        f"membership added: {user.username}, {membership.role} @ {organisation.name}",
    )
    return membership


@transaction.atomic
def create_user(
    actor: Actor,
    *,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    password: str,
    organisation: Organisation,
    role: str,
    capacity: int | None = None,
    fte: Decimal = Decimal("1.00"),
) -> User:
    """A new person with an initial password and a first membership."""
    _require_admin(actor)
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(_("A user with this username already exists."), field="username")
    user = User(username=username, first_name=first_name, last_name=last_name, email=email)
    _check_password(password, user)
    user.set_password(password)
    _full_clean(user)
    _save(user, _("A user with this username already exists."), "username")
    _record(actor, AuditAction.CREATE, user, f"user created: {user.username}")
    _new_membership(actor, user, organisation=organisation, role=role, capacity=capacity, fte=fte)
    return user


@transaction.atomic
def update_user(
    actor: Actor, user: User, *, first_name: str, last_name: str, email: str, is_active: bool
) -> User:
    _require_admin(actor)
    user = _fresh(user)
    if not is_active and user.pk == actor.user.pk:
        raise DomainError(_("You cannot deactivate yourself."), field="is_active")
    changed = _apply(
        user, {"first_name": first_name, "last_name": last_name, "email": email, "is_active": is_active}
    )
    _full_clean(user)
    user.save()
    _record(actor, AuditAction.UPDATE, user, _changes(f"user {user.username}", changed))
    return user


@transaction.atomic
def add_membership(
    actor: Actor,
    user: User,
    *,
    organisation: Organisation,
    role: str,
    capacity: int | None = None,
    fte: Decimal = Decimal("1.00"),
) -> Membership:
    _require_admin(actor)
    return _new_membership(actor, user, organisation=organisation, role=role, capacity=capacity, fte=fte)


@transaction.atomic
def update_membership(
    actor: Actor,
    membership: Membership,
    *,
    role: str,
    capacity: int | None,
    fte: Decimal,
    is_active: bool,
) -> Membership:
    _require_admin(actor)
    membership = _fresh(membership)
    changed = _apply(membership, {"role": role, "capacity": capacity, "fte": fte, "is_active": is_active})
    if "role" in changed or "is_active" in changed:
        _check_own_membership(actor, membership)
        if not (membership.is_active and membership.role in SCREENING_ROLES):
            _check_screening_kept(membership.user, membership.organisation, leaving=membership)
    _save_membership(membership)
    _record(
        actor,
        AuditAction.UPDATE,
        membership,
        _changes(f"membership {membership.user.username} @ {membership.organisation.name}", changed),
    )
    return membership


@transaction.atomic
def remove_membership(actor: Actor, membership: Membership) -> None:
    """Delete the membership (and the API tokens bound to it); the user and their history stay."""
    _require_admin(actor)
    membership = _fresh(membership)
    _check_own_membership(actor, membership)
    _check_screening_kept(membership.user, membership.organisation, leaving=membership)
    # Recorded first: after delete() the object has no pk left to point at.
    _record(
        actor,
        AuditAction.DELETE,
        membership,
        f"membership removed: {membership.user.username}, {membership.role} @ {membership.organisation.name}",
    )
    membership.delete()


# --- referral lines --------------------------------------------------------------------------------


def _indications(codes: Iterable[str]) -> list[str]:
    codes = list(codes)
    book = published()
    if not set(codes) <= set(book.codes):
        raise DomainError(_("Unknown indication."), field="indications")
    return book.clean(codes)


def _check_line(line: ReferralLine, screeners: list[User]) -> None:
    _refuse_duplicate_name(
        ReferralLine, line.name, line.pk, _("A referral line with this name already exists.")
    )
    if (
        line.default_trajectory_type
        and not TrajectoryType.objects.filter(code=line.default_trajectory_type).exists()
    ):
        raise DomainError(_("Unknown trajectory type."), field="default_trajectory_type")
    _full_clean(line)
    qualified = set(
        Membership.objects.filter(
            organisation_id=line.organisation_id,
            role__in=SCREENING_ROLES,
            is_active=True,
            user__is_active=True,
            user__in=screeners,
        ).values_list("user_id", flat=True)
    )
    refused = [user for user in screeners if user.pk not in qualified]
    if refused:
        raise DomainError(
            _(
                "Only people with an active screener or coordinator membership at %(organisation)s can "
                "screen for this line. Not possible: %(names)s."
            )
            % {"organisation": line.organisation, "names": ", ".join(str(user) for user in refused)},
            field="screeners",
        )


@transaction.atomic
def create_line(
    actor: Actor,
    *,
    name: str,
    organisation: Organisation,
    description: str = "",
    indications: list[str] | None = None,
    default_trajectory_type: str = "",
    screeners: Iterable[User] = (),
    is_active: bool = True,
) -> ReferralLine:
    _require_admin(actor)
    screeners = list(screeners)
    line = ReferralLine(
        name=name,
        organisation=organisation,
        description=description,
        indications=_indications(indications or []),
        default_trajectory_type=default_trajectory_type,
        is_active=is_active,
    )
    _check_line(line, screeners)
    _save(line, _("A referral line with this name already exists."))
    line.screeners.set(screeners)
    _record(actor, AuditAction.CREATE, line, f"referral line created: {line.name}")
    return line


@transaction.atomic
def update_line(
    actor: Actor,
    line: ReferralLine,
    *,
    name: str,
    organisation: Organisation,
    description: str,
    indications: list[str],
    default_trajectory_type: str,
    screeners: Iterable[User],
    is_active: bool,
) -> ReferralLine:
    _require_admin(actor)
    screeners = list(screeners)
    line = _fresh(line)
    changed = _apply(
        line,
        {
            "name": name,
            "organisation": organisation,
            "description": description,
            "indications": _indications(indications),
            "default_trajectory_type": default_trajectory_type,
            "is_active": is_active,
        },
    )
    _check_line(line, screeners)
    _save(line, _("A referral line with this name already exists."))
    if set(line.screeners.values_list("pk", flat=True)) != {user.pk for user in screeners}:
        changed.append("screeners")
        line.screeners.set(screeners)
    _record(actor, AuditAction.UPDATE, line, _changes(f"referral line {line.name}", changed))
    return line


# --- sub-regions -----------------------------------------------------------------------------------


@transaction.atomic
def create_subregion(actor: Actor, *, name: str) -> SubRegion:
    _require_admin(actor)
    region = SubRegion(name=name)
    _refuse_duplicate_name(SubRegion, name, None, _("A sub-region with this name already exists."))
    _full_clean(region)
    _save(region, _("A sub-region with this name already exists."))
    _record(actor, AuditAction.CREATE, region, f"sub-region created: {region.name}")
    return region


@transaction.atomic
def update_subregion(actor: Actor, region: SubRegion, *, name: str) -> SubRegion:
    _require_admin(actor)
    region = _fresh(region)
    old = region.name
    changed = _apply(region, {"name": name})
    _refuse_duplicate_name(SubRegion, name, region.pk, _("A sub-region with this name already exists."))
    _full_clean(region)
    _save(region, _("A sub-region with this name already exists."))
    summary = f"sub-region renamed: {old} -> {region.name}" if changed else _changes("sub-region", changed)
    _record(actor, AuditAction.UPDATE, region, summary)
    return region


# --- network-wide settings ---------------------------------------------------------------------------


@transaction.atomic
def update_network_settings(
    actor: Actor, network_settings: NetworkSettings, *, require_two_factor_for_all: bool
) -> NetworkSettings:
    _require_admin(actor)
    network_settings = _fresh(network_settings)
    changed = _apply(network_settings, {"require_two_factor_for_all": require_two_factor_for_all})
    network_settings.save()
    _record(actor, AuditAction.UPDATE, network_settings, _changes("network settings", changed))
    return network_settings
