"""Every destructive action of the admin, in one list: a GET never changes anything (it shows what
will happen), one tap does not do it, and the confirming POST does (so the check can fail).

Add each new destructive action to ACTIONS.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from crm import services
from crm.merging import merge_organisations
from crm.models import ImportBatch, ImportedRecord, MergeRecord, NotADuplicate, Organisation, Person
from newsletter.models import Send
from portal.members.models import Application
from tests.builders import make_organisation, make_person, make_segment, make_send, make_staff

pytestmark = pytest.mark.django_db


@dataclass
class Action:
    name: str
    url: str
    state: Callable[[], object]  # what the action changes, read afresh
    confirm: dict  # the confirming POST's data
    asks_first: dict | None = None  # a POST that only asks (one tap), when the action has one
    says: str = ""  # what the confirmation page must say


def actions(admin) -> list[Action]:
    organisation = make_organisation("Slagerij Jansen")
    services.log_interaction(staff=admin, organisations=[organisation], notes="Bezoek")
    person = make_person("Fatima", "Bouzid", email="fatima@example.nl", organisation=organisation)
    butcher = make_organisation("Slagerij De Haan")
    duplicate = make_organisation("Slagerij de Haan", kvk_number="")
    kept = make_organisation("Bakkerij Bouzid", kvk_number="")
    merged = make_organisation("Bakkerij Bouzid BV", kvk_number="")
    merge = merge_organisations(keep=kept, duplicate=merged, user=admin).merge_record
    visit = services.log_interaction(
        staff=admin,
        organisations=[kept],
        follow_ups=[
            services.FollowUpDraft("Bellen", dt.date.today()),
            services.FollowUpDraft("Mailen", dt.date.today()),
        ],
    )
    to_do, done = visit.follow_ups
    services.complete_follow_up(follow_up=done, user=admin)
    imported = make_organisation("Geïmporteerd", kvk_number="")
    batch = ImportBatch.objects.create(filename="leden.csv", status=ImportBatch.Status.DONE)
    ImportedRecord.objects.create(
        batch=batch, content_type=ContentType.objects.get_for_model(Organisation), object_id=imported.pk
    )
    segment = make_segment("Horeca")
    send = make_send()
    Send.objects.filter(pk=send.pk).update(status=Send.Status.PAUSED, finished_at=None)
    application = Application.objects.create(
        business_name="Kapsalon Knip",
        kvk_number="12345678",
        first_name="Kim",
        last_name="Knip",
        email="kim@knip.nl",
    )
    return [
        Action(
            "delete an organisation",
            reverse("crm_organisation:delete", args=[organisation.pk]),
            lambda: Organisation.objects.filter(pk=organisation.pk).exists(),
            {},
            says="Dit gaat mee:",  # with counts, and "cannot be undone"
        ),
        Action(
            "erase a person (AVG)",
            reverse("crm_person_erase", args=[person.pk]),
            lambda: Person.objects.get(pk=person.pk).erased_at,
            {},
            says="Dit kan niet ongedaan worden gemaakt",
        ),
        Action(
            "merge two organisations",
            reverse("crm_merge_compare", args=["organisation", butcher.pk, duplicate.pk]),
            lambda: Organisation.objects.filter(pk=duplicate.pk).exists(),
            {"numbers_confirmed": "1"},
            says="30 dagen ongedaan",
        ),
        Action(
            "undo a merge",
            reverse("crm_merge_record", args=[merge.pk]),
            lambda: MergeRecord.objects.get(pk=merge.pk).undone_at,
            {},
            says="Samenvoegen ongedaan maken",
        ),
        Action(
            "mark as not a duplicate",
            reverse("crm_merge_duplicates") + f"?kind=organisation&first={kept.pk}&second={imported.pk}",
            lambda: NotADuplicate.objects.count(),
            {"first": kept.pk, "second": imported.pk},
        ),
        Action(
            "tick off a follow-up",
            reverse("crm_follow_up_done", args=[to_do.pk]),
            lambda: type(to_do).objects.get(pk=to_do.pk).done_at,
            {"outcome": "Gebeld"},
        ),
        Action(
            "undo ticking off a follow-up",
            reverse("crm_follow_up_undo", args=[done.pk]),
            lambda: type(done).objects.get(pk=done.pk).done_at,
            {},
        ),
        Action(
            "undo an import",
            reverse("crm_import:undo", args=[batch.pk]),
            lambda: ImportBatch.objects.get(pk=batch.pk).status,
            {},
        ),
        Action(
            "delete a segment",
            reverse("crm_segment:delete", args=[segment.pk]),
            lambda: type(segment).objects.filter(pk=segment.pk).exists(),
            {},
        ),
        Action(
            "cancel a send",
            reverse("newsletter_send", args=[send.newsletter_id]),
            lambda: Send.objects.get(pk=send.pk).status,
            {"action": "cancel", "confirmed": "1"},
            asks_first={"action": "cancel"},
            says="Dit kan niet ongedaan worden gemaakt",
        ),
        Action(
            "reject an application",
            reverse("members_application:decide", args=[application.pk]),
            lambda: Application.objects.get(pk=application.pk).status,
            {"action": "reject", "reason": "Geen onderneming in het centrum."},
            asks_first={"action": "reject"},  # without a reason nothing happens
        ),
    ]


def test_every_destructive_action_needs_a_confirming_post(client):
    admin = make_staff("beheer", "Beheerder", is_superuser=True)
    client.force_login(admin)
    for action in actions(admin):
        before = action.state()
        response = client.get(action.url)
        assert response.status_code in (200, 405), action.name
        assert action.state() == before, f"a GET changed something: {action.name}"
        if response.status_code == 200:
            assert 'method="post"' in response.content.decode().lower(), action.name
        confirmation = response.content.decode()
        if action.asks_first is not None:
            confirmation = client.post(action.url, action.asks_first).content.decode()
            assert action.state() == before, f"one tap did it: {action.name}"
        assert action.says in confirmation, action.name
        client.post(action.url, action.confirm)
        assert action.state() != before, f"the confirming POST did nothing: {action.name}"
