"""State changes of the funding ledger and the BIZ ballots: keyword-only, one transaction, audited.

Audit: Contribution, Ballot and BallotParty are registered with django-auditlog (funding/apps.py);
`set_actor` puts the user on every entry written inside.
"""

from __future__ import annotations

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from funding import queries
from funding.models import Ballot, BallotParty, Contribution, Vote
from funding.verdict import BallotError, Tally


class DuplicateBallot(BallotError):
    """A ballot for this zone and period is registered already."""


def save_contribution(*, contribution: Contribution, user) -> Contribution:
    """Create or change one ledger line; a second line of the same kind and year is refused."""
    with transaction.atomic(), set_actor(user):
        contribution.full_clean()
        contribution.save()
    return contribution


def _check_not_registered(*, zone: str, period_start: int, exclude_pk: int | None = None) -> None:
    existing = Ballot.objects.filter(zone__iexact=zone.strip(), period_start=period_start)
    if exclude_pk:
        existing = existing.exclude(pk=exclude_pk)
    if existing.exists():
        raise DuplicateBallot(
            [
                _("A ballot for zone “%(zone)s” and the period starting in %(year)s is registered already.")
                % {"zone": zone.strip(), "year": period_start}
            ]
        )


def tally_of_totals(ballot: Ballot) -> Tally:
    return Tally(
        entitled=ballot.entitled,
        votes_for=ballot.votes_for,
        votes_against=ballot.votes_against,
        votes_blank=ballot.votes_blank or 0,
        votes_invalid=ballot.votes_invalid or 0,
        woz_for=ballot.woz_for,
        woz_against=ballot.woz_against,
    )


def register_ballot(*, ballot: Ballot, user) -> Ballot:
    """Register a new ballot. Totals are checked against each other; per party, the entitled
    parties are taken from the CRM (active businesses in the zone's streets, with their WOZ value).

    Raises DuplicateBallot when the zone and period have a ballot already, BallotError for totals
    that cannot be.
    """
    _check_not_registered(zone=ballot.zone, period_start=ballot.period_start)
    if ballot.mode == Ballot.Mode.TOTALS:
        tally_of_totals(ballot).check()
    with transaction.atomic(), set_actor(user):
        ballot.zone = ballot.zone.strip()
        ballot.created_by = user if getattr(user, "pk", None) else None
        try:
            ballot.full_clean()
        except ValidationError as error:
            raise BallotError(
                [message for messages in error.message_dict.values() for message in messages]
            ) from None
        try:
            with transaction.atomic():
                ballot.save()
        except IntegrityError:
            # Two people registering the same ballot at the same moment: the constraint decides.
            raise DuplicateBallot([_("A ballot for this zone and period is registered already.")]) from None
        if ballot.mode == Ballot.Mode.PARTIES:
            add_entitled_parties(ballot=ballot)
    return ballot


def update_totals(*, ballot: Ballot, user) -> Ballot:
    """Save changed published totals, checked against each other first."""
    tally_of_totals(ballot).check()
    with transaction.atomic(), set_actor(user):
        ballot.save()
    return ballot


def add_entitled_parties(*, ballot: Ballot) -> int:
    """Add the zone's businesses not yet on the list, each with its WOZ value from the CRM."""
    known = set(ballot.parties.values_list("organisation_id", flat=True))
    candidates = [pk for pk in queries.zone_businesses(streets=ballot_streets(ballot)) if pk not in known]
    woz = queries.current_woz_values(candidates)
    BallotParty.objects.bulk_create(
        [BallotParty(ballot=ballot, organisation_id=pk, woz_value=woz.get(pk)) for pk in candidates],
        batch_size=500,
    )
    return len(candidates)


def ballot_streets(ballot: Ballot) -> list[str]:
    return [line.strip() for line in ballot.streets.splitlines() if line.strip()]


def record_votes(*, ballot: Ballot, changes: dict[int, tuple[str, int | None]], user) -> int:
    """Store each party's vote and WOZ value: {party id: (vote or "", WOZ value or None)}."""
    valid = set(Vote.values) | {""}
    parties = {party.pk: party for party in ballot.parties.filter(pk__in=list(changes))}
    changed = []
    for pk, (vote, woz_value) in changes.items():
        party = parties.get(pk)
        if party is None:
            continue
        if vote not in valid:
            raise BallotError([_("“%(vote)s” is not a vote.") % {"vote": vote}])
        if woz_value is not None and woz_value < 0:
            raise BallotError([_("A WOZ value cannot be negative.")])
        if (party.vote, party.woz_value) != (vote, woz_value):
            party.vote, party.woz_value = vote, woz_value
            changed.append(party)
    with transaction.atomic(), set_actor(user):
        # One save per changed party so that each change is in the audit trail.
        for party in changed:
            party.save(update_fields=["vote", "woz_value"])
    return len(changed)


def delete_ballot(*, ballot: Ballot, user) -> None:
    with transaction.atomic(), set_actor(user):
        ballot.delete()
