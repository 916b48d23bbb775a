"""What members, applicants and staff do in the portal: each a function, one transaction each.

CRM data (the business, its people, consent, contacts and follow-ups) changes only through
crm.services, with the member as the acting user, so staff see the member's changes in the
organisation's history.
"""

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.images import get_image_model

from crm import services as crm_services
from crm.models import AccessRequest, Consent, FollowUp, Interaction, Interest, Organisation, Person, Signal
from crm.privacy import log_own_data_download, own_data, request_access
from portal.members.mail import absolute_url, send_member_mail
from portal.members.models import Application, Invitation, Membership, Report
from portal.members.queries import facilitair_coordinator
from portal.members.uploads import clean_image

INVITATION_VALID_FOR = dt.timedelta(days=7)

# The words a member agrees to; stored with each consent record, so what was asked is on file.
WORDING = {
    Consent.Topic.SERVICE_NEWSLETTER: "Ik ontvang de nieuwsbrief voor ondernemers met praktische "
    "informatie over het centrum (werkzaamheden, evenementen, regels).",
    Consent.Topic.MARKETING_NEWSLETTER: "Ik ontvang ook de nieuwsbrief met acties, campagnes en "
    "aanbiedingen van het centrummanagement.",
    Consent.Topic.DIRECTORY: "Mijn bedrijf mag met naam, adres, openingstijden, beschrijving, logo en "
    "links in de openbare bedrijvengids van het centrum staan.",
}

# Which signal a report counts as on the CRM's dashboards.
REPORT_SIGNALS = {
    Report.Category.CLEAN: Signal.Kind.COMPLAINT_CLEAN,
    Report.Category.INTACT: Signal.Kind.COMPLAINT_INTACT,
    Report.Category.SAFE: Signal.Kind.COMPLAINT_SAFE,
}
# Days the facilitair coördinator has for a report: what is unsafe or broken goes first.
REPORT_DUE_DAYS = {Report.Category.SAFE: 1, Report.Category.INTACT: 2}


class InvitationInvalid(Exception):
    """The invitation link cannot be used; the message says why, in the member's words."""


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _primary_email(person: Person) -> str:
    address = person.emails.order_by("-is_primary", "email").first()
    return address.email if address else ""


# Invitations ------------------------------------------------------------------------------------


def invite_person(
    *,
    person: Person,
    organisation: Organisation,
    invited_by: AbstractBaseUser | None,
    email: str = "",
    note: str = "",
) -> tuple[Invitation, str]:
    """Send `person` a single-use link, valid for a week, to create an account for `organisation`.

    Earlier open invitations to the same address for the same business stop working. Returns the
    invitation and the token (the token itself is stored nowhere; only its hash is).
    """
    email = (email or _primary_email(person)).strip().lower()
    if not email:
        raise ValidationError(_("This person has no email address to send the invitation to."))
    if not person.roles.filter(organisation=organisation).exists():
        raise ValidationError(_("This person does not work at this organisation."))
    if Membership.objects.filter(user__username=email, closed_at__isnull=True, user__is_active=True).exists():
        raise ValidationError(_("%(email)s already has an account in the portal.") % {"email": email})
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        Invitation.objects.filter(
            email=email, organisation=organisation, used_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=now)
        invitation = Invitation.objects.create(
            email=email,
            person=person,
            organisation=organisation,
            invited_by=invited_by,
            token_hash=_hash(token),
            created_at=now,
            expires_at=now + INVITATION_VALID_FOR,
        )
        send_member_mail(
            "invitation",
            to=email,
            language=person.preferred_language,
            context={
                "person": person,
                "organisation": organisation,
                "invited_by": invited_by,
                "note": note,
                "url": absolute_url("members:accept_invitation", token, language=person.preferred_language),
                "expires_at": invitation.expires_at,
            },
        )
    return invitation, token


def read_invitation(token: str) -> Invitation:
    """The open invitation for this token, or InvitationInvalid saying why it cannot be used."""
    invitation = (
        Invitation.objects.select_related("person", "organisation").filter(token_hash=_hash(token)).first()
    )
    if invitation is None:
        raise InvitationInvalid(_("This invitation link is not valid. Check that you copied the whole link."))
    if invitation.used_at is not None:
        raise InvitationInvalid(
            _("This invitation has already been used. Log in with your email address and password.")
        )
    if invitation.revoked_at is not None:
        raise InvitationInvalid(
            _("This invitation was replaced by a newer one. Use the link in the newest mail.")
        )
    if invitation.expires_at <= timezone.now():
        raise InvitationInvalid(_("This invitation has expired. Ask the centre organisation for a new one."))
    return invitation


def accept_invitation(*, token: str, password: str) -> Membership:
    """Create the member's account from an open invitation; the link cannot be used again."""
    User = get_user_model()
    with transaction.atomic():
        invitation = read_invitation(token)
        # Lock the row: two clicks at once must not both create an account.
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.used_at is not None:
            raise InvitationInvalid(_("This invitation has already been used."))
        person = invitation.person
        user = User.objects.filter(username=invitation.email).first()
        if user is not None and (user.is_staff or user.is_superuser):
            # A member account never reuses (and so never demotes) a staff login.
            raise InvitationInvalid(
                _("This email address belongs to a staff login. Ask to be invited with another address.")
            )
        if user is not None and Membership.objects.filter(user=user, closed_at__isnull=True).exists():
            raise InvitationInvalid(
                _("There already is an account for this email address. Log in, or reset your password.")
            )
        if user is None:
            user = User(username=invitation.email)
        user.email = invitation.email
        user.first_name = person.first_name[:150]
        user.last_name = person.last_name[:150]
        user.is_active = True
        user.is_staff = False
        user.set_password(password)
        user.save()
        membership, _created = Membership.objects.update_or_create(
            user=user,
            defaults={
                "person": person,
                "organisation": invitation.organisation,
                "onboarding_step": Membership.Step.BUSINESS,
                "onboarded_at": None,
                "created_at": timezone.now(),
                "closed_at": None,
            },
        )
        invitation.used_at = timezone.now()
        invitation.save(update_fields=["used_at"])
        crm_services.set_portal_member(organisation=invitation.organisation, user=user, member=True)
    return membership


# Applications (self sign-up) ------------------------------------------------------------------


def apply_for_membership(
    *, business_name: str, kvk_number: str, first_name: str, last_name: str, email: str, message: str = ""
) -> Application:
    """A business asks to join; the applicant gets a receipt and staff decide."""
    application = Application(
        business_name=business_name.strip(),
        kvk_number=kvk_number,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email.strip().lower(),
        message=message.strip(),
    )
    application.full_clean()
    with transaction.atomic():
        application.save()
        send_member_mail("application_received", to=application.email, context={"application": application})
    return application


def _check_pending(application: Application) -> None:
    if application.status != Application.Status.PENDING:
        raise ValidationError(
            _("This application was already decided: %(status)s.")
            % {"status": application.get_status_display()}
        )


def approve_application(*, application: Application, user: AbstractBaseUser) -> Invitation:
    """Match or create the business by KvK number and its contact person, and invite them."""
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        _check_pending(application)
        organisation = crm_services.register_business(
            name=application.business_name, kvk_number=application.kvk_number, user=user
        )
        person = crm_services.add_contact_person(
            organisation=organisation,
            first_name=application.first_name,
            last_name=application.last_name,
            email=application.email,
            user=user,
        )
        invitation, _token = invite_person(
            person=person,
            organisation=organisation,
            invited_by=user,
            email=application.email,
            note=_("Your application to join the portal has been approved."),
        )
        application.status = Application.Status.APPROVED
        application.decided_at = timezone.now()
        application.decided_by = user
        application.organisation = organisation
        application.save(update_fields=["status", "decided_at", "decided_by", "organisation"])
    return invitation


def reject_application(*, application: Application, user: AbstractBaseUser, reason: str) -> Application:
    """Turn an application down; the applicant is told why."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Tell the applicant why: the reason is sent to them.")})
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        _check_pending(application)
        application.status = Application.Status.REJECTED
        application.reason = reason
        application.decided_at = timezone.now()
        application.decided_by = user
        application.save(update_fields=["status", "reason", "decided_at", "decided_by"])
        send_member_mail("application_rejected", to=application.email, context={"application": application})
    return application


# Onboarding and the business profile ----------------------------------------------------------


STEPS = list(Membership.Step.values)


def reach_step(*, membership: Membership, step: str) -> Membership:
    """Remember how far the member got in the onboarding wizard (never moves back)."""
    if STEPS.index(step) > STEPS.index(membership.onboarding_step):
        membership.onboarding_step = step
        fields = ["onboarding_step"]
        if step == Membership.Step.DONE and membership.onboarded_at is None:
            membership.onboarded_at = timezone.now()
            fields.append("onboarded_at")
        membership.save(update_fields=fields)
    return membership


def save_business_details(*, membership: Membership, changes: dict, logo_upload=None) -> list[str]:
    """The member confirms or corrects the business's details; the CRM records it as their change."""
    changes = dict(changes)
    if logo_upload is not None:
        cleaned = clean_image(logo_upload, max_bytes=2 * 1024 * 1024)
        image = get_image_model()(title=_("Logo %(name)s") % {"name": membership.organisation.name})
        image.file.save(cleaned.name, cleaned, save=False)
        image.uploaded_by_user = None  # members are not staff; the CRM audit names them
        image.save()
        changes["logo"] = image
    with transaction.atomic():
        return crm_services.update_business_profile(
            organisation=membership.organisation, user=membership.user, changes=changes
        )


def save_interests(*, membership: Membership, interests: list[Interest]) -> list[str]:
    return crm_services.update_business_profile(
        organisation=membership.organisation, user=membership.user, changes={}, interests=interests
    )


def current_consents(person: Person) -> dict[str, bool]:
    """The person's current choice per topic (the newest record), False where never asked."""
    choices: dict[str, bool] = {}
    for consent in Consent.objects.filter(person=person).order_by("-recorded_at", "-pk"):
        choices.setdefault(consent.topic, consent.granted)
    return {topic: choices.get(topic, False) for topic in Consent.Topic.values}


def save_newsletter_choices(
    *, membership: Membership, service: bool, marketing: bool, always_record: bool = False
) -> list[Consent]:
    """Record the member's yes or no per newsletter, with the words they were shown.

    In the wizard every answer is recorded (a refusal is an answer too); later only changes are.
    """
    current = current_consents(membership.person)
    recorded = []
    with transaction.atomic():
        for topic, granted in (
            (Consent.Topic.SERVICE_NEWSLETTER, service),
            (Consent.Topic.MARKETING_NEWSLETTER, marketing),
        ):
            if always_record or current[topic] != granted:
                recorded.append(
                    crm_services.record_consent(
                        person=membership.person,
                        topic=topic,
                        granted=granted,
                        source=Consent.Source.PORTAL,
                        wording=WORDING[topic],
                        user=membership.user,
                    )
                )
    return recorded


def save_directory_choice(*, membership: Membership, listed: bool) -> None:
    """Listing in the business directory: the consent (with its wording) and the business's flag."""
    with transaction.atomic():
        crm_services.record_consent(
            person=membership.person,
            topic=Consent.Topic.DIRECTORY,
            granted=listed,
            source=Consent.Source.PORTAL,
            wording=WORDING[Consent.Topic.DIRECTORY],
            user=membership.user,
        )
        crm_services.update_business_profile(
            organisation=membership.organisation, user=membership.user, changes={"in_directory": listed}
        )


# My business ---------------------------------------------------------------------------------


def invite_colleague(*, membership: Membership, first_name: str, last_name: str, email: str) -> Invitation:
    """A member invites someone else of their business; the colleague becomes a contact in the CRM."""
    with transaction.atomic():
        person = crm_services.add_contact_person(
            organisation=membership.organisation,
            first_name=first_name,
            last_name=last_name,
            email=email,
            user=membership.user,
        )
        invitation, _token = invite_person(
            person=person, organisation=membership.organisation, invited_by=membership.user, email=email
        )
    return invitation


def export_member_data(*, membership: Membership) -> dict:
    """The member's own data, at once: profile, consents (their newsletter subscriptions), their
    portal account and their reports. Nothing staff wrote about them and no staff names: that comes
    with a full request of access (`request_full_access`), which staff answer."""
    with transaction.atomic():
        data = own_data(person=membership.person)
        log_own_data_download(person=membership.person, user=membership.user)
    organisation = membership.organisation
    reports = Report.objects.filter(reported_by=membership.user).order_by("created_at")
    data["business"] = {
        "name": organisation.name,
        "address": organisation.full_address,
        "email": organisation.email,
        "phone": organisation.phone,
        "website": organisation.website,
        "description": organisation.description,
        "opening_hours": organisation.opening_hours,
        "in_directory": organisation.in_directory,
    }
    choices = current_consents(membership.person)
    data["newsletters"] = {
        topic: choices[topic]
        for topic in (Consent.Topic.SERVICE_NEWSLETTER, Consent.Topic.MARKETING_NEWSLETTER)
    }
    data["portal_account"] = {
        "email": membership.user.email,
        "organisation": organisation.name,
        "member_since": membership.created_at.isoformat(),
        "last_login": membership.user.last_login.isoformat() if membership.user.last_login else None,
        "onboarding_step": membership.onboarding_step,
    }
    data["reports"] = [
        {
            "reported_at": report.created_at.isoformat(),
            "category": report.category,
            "description": report.description,
            "location": report.location,
            "status": report.status,
            "answer": report.response,
            "has_photo": bool(report.photo),
        }
        for report in reports
    ]
    return data


def request_full_access(*, membership: Membership) -> AccessRequest:
    """The member asks for everything we hold about them (AVG art. 15): a request staff answer
    within a month (crm.privacy.request_access); asking again while it is open changes nothing."""
    return request_access(
        person=membership.person, user=membership.user, channel=AccessRequest.Channel.PORTAL
    )


def open_access_request(membership: Membership) -> AccessRequest | None:
    return AccessRequest.objects.filter(person=membership.person, status=AccessRequest.Status.OPEN).first()


def close_account(*, membership: Membership) -> None:
    """The member leaves the portal: the login stops working and every consent is withdrawn.

    The business and the person stay in the CRM (the centre organisation keeps working with the
    business); erasing the person's data is a separate AVG request that staff carry out.
    """
    with transaction.atomic():
        user = membership.user
        for topic, granted in current_consents(membership.person).items():
            if granted:
                crm_services.record_consent(
                    person=membership.person,
                    topic=topic,
                    granted=False,
                    source=Consent.Source.PORTAL,
                    wording=_("Account in the member portal closed."),
                    user=user,
                )
        others = Membership.objects.filter(
            organisation=membership.organisation, closed_at__isnull=True
        ).exclude(pk=membership.pk)
        if not others.exists():
            # Nobody of the business is left to keep the listing current, and its consent is withdrawn.
            crm_services.update_business_profile(
                organisation=membership.organisation, user=user, changes={"in_directory": False}
            )
            crm_services.set_portal_member(organisation=membership.organisation, user=user, member=False)
        membership.closed_at = timezone.now()
        membership.save(update_fields=["closed_at"])
        user.is_active = False
        user.set_unusable_password()
        user.save(update_fields=["is_active", "password"])
        Invitation.objects.filter(invited_by=user, used_at__isnull=True, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )


# Reports (meldingen) -------------------------------------------------------------------------


@dataclass
class ReportDraft:
    category: str
    description: str
    location: str
    latitude: float | None = None
    longitude: float | None = None


def submit_report(*, membership: Membership, draft: ReportDraft, photo_upload=None) -> Report:
    """A member reports a problem: a contact in the CRM with a follow-up for the facilitair coördinator."""
    report = Report(
        organisation=membership.organisation,
        reported_by=membership.user,
        category=draft.category,
        description=draft.description.strip(),
        location=draft.location.strip(),
        latitude=draft.latitude,
        longitude=draft.longitude,
    )
    report.full_clean(exclude=["photo"])
    photo = clean_image(photo_upload) if photo_upload is not None else None
    coordinator = facilitair_coordinator(membership.organisation)
    due = timezone.localdate() + dt.timedelta(days=REPORT_DUE_DAYS.get(draft.category, 5))
    with transaction.atomic():
        if photo is not None:
            report.photo.save(photo.name, photo, save=False)
        log = crm_services.log_interaction(
            staff=membership.user,
            organisations=[membership.organisation],
            kind=Interaction.Kind.REPORT,
            subject=_("Report: %(category)s at %(location)s")
            % {"category": report.get_category_display(), "location": report.location},
            notes=report.description,
            attendees=[membership.person],
            signals=[crm_services.SignalDraft(kind=REPORT_SIGNALS[draft.category], note=report.location)]
            if draft.category in REPORT_SIGNALS
            else [],
            follow_ups=[
                crm_services.FollowUpDraft(
                    description=_("Handle report: %(category)s at %(location)s")
                    % {"category": report.get_category_display(), "location": report.location},
                    due_on=due,
                    assigned_to=coordinator,
                )
            ],
        )
        report.interaction = log.interaction
        report.follow_up = log.follow_ups[0]
        report.save()
    return report


def change_report_status(
    *, report: Report, status: str, user: AbstractBaseUser, response: str = ""
) -> Report:
    """Staff move a report along; resolving it also ticks off its follow-up in the CRM.

    Resolving or rejecting mails the member with the answer, so the answer is required for both.
    """
    if status not in Report.Status.values:
        raise ValidationError(_("Unknown status."))
    if status == Report.Status.REJECTED and not response.strip():
        raise ValidationError({"response": _("Tell the member why the report is not taken up.")})
    if status == Report.Status.RESOLVED and not response.strip():
        raise ValidationError({"response": _("Tell the member what was done: they get this answer by mail.")})
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        report.response = response.strip()
        previous = report.status
        report.status = status
        if status in (Report.Status.RESOLVED, Report.Status.REJECTED) and report.resolved_at is None:
            report.resolved_at = timezone.now()
        tell = status != previous and status in (Report.Status.RESOLVED, Report.Status.REJECTED)
        if tell:
            report.reporter_told_at = timezone.now()
        report.save(update_fields=["status", "response", "resolved_at", "reporter_told_at", "updated_at"])
        if status == Report.Status.RESOLVED and report.follow_up and report.follow_up.done_at is None:
            # The CRM's signal comes back to resolve_report_for_follow_up, which then finds it resolved.
            crm_services.complete_follow_up(follow_up=report.follow_up, user=user, outcome=report.response)
        if tell:
            _tell_reporter(report)
    return report


def resolve_report_for_follow_up(*, follow_up: FollowUp, user: AbstractBaseUser | None) -> Report | None:
    """The follow-up of a report was done in the CRM: the report is resolved, with the follow-up's
    outcome as the answer. The member is told once completing can no longer be undone
    (tell_reporter_when_due, queued by the receiver)."""
    report = Report.objects.select_for_update().filter(follow_up=follow_up).first()
    if report is None or report.is_closed:
        return report
    report.status = Report.Status.RESOLVED
    report.resolved_at = follow_up.done_at or timezone.now()
    if follow_up.outcome:
        report.response = follow_up.outcome
    report.save(update_fields=["status", "resolved_at", "response", "updated_at"])
    return report


def reopen_report_for_follow_up(*, follow_up: FollowUp, user: AbstractBaseUser | None) -> Report | None:
    """Completing the report's follow-up was undone: the report is in progress again, and the
    member, not told yet, is not told."""
    report = Report.objects.select_for_update().filter(follow_up=follow_up).first()
    if report is None or report.status != Report.Status.RESOLVED or report.reporter_told_at is not None:
        return report
    report.status = Report.Status.IN_PROGRESS
    report.resolved_at = None
    report.response = ""
    report.save(update_fields=["status", "resolved_at", "response", "updated_at"])
    return report


def tell_reporter_when_due(*, report_id: int) -> dt.datetime | None:
    """Mail the member that their report is resolved, once the follow-up's undo period has passed.

    Safe to run any number of times: mails once, and not at all when the report was reopened.
    Returns the moment to try again when that period is still running, else None.
    """
    with transaction.atomic():
        report = (
            Report.objects.select_for_update(of=("self",))
            .select_related("reported_by")
            .filter(pk=report_id)
            .first()
        )
        if report is None or report.reporter_told_at is not None or report.status != Report.Status.RESOLVED:
            return None
        due = report.resolved_at + dt.timedelta(minutes=crm_services.FOLLOW_UP_UNDO_MINUTES)
        if timezone.now() < due:
            return due
        report.reporter_told_at = timezone.now()
        report.save(update_fields=["reporter_told_at"])
        _tell_reporter(report)
    return None


def _tell_reporter(report: Report) -> None:
    user = report.reported_by
    if user is None or not user.is_active or not user.email:
        return
    send_member_mail(
        "report_closed",
        to=user.email,
        context={"report": report, "user": user, "url": absolute_url("members:report", report.pk)},
    )
