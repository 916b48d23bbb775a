"""Who sees what: every role against every page and path that shows CRM text.

A marker string sits in every text field of the CRM (crm.visibility.WHO_READS). For each role the
test opens every page that shows CRM text (organisation and person pages and timelines, My work and
its calendar feed, the history of each record, search, exports, the stakeholder map, the visit
form's lookup, the admin's report and premises views, the AVG export) and asserts that a text the
role may not read appears on none of them, and that a role that reads it finds it where it belongs.
"""

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from crm import services
from crm.models import Premises, Relation
from crm.views.work import feed_token
from crm.visibility import (
    FOLLOW_UPS,
    NOTES,
    PREMISES_NOTES,
    RELATION_NOTES,
    SIGNAL_NOTES,
    SUBJECT,
    WHO_READS,
    readable_by,
)
from portal.members import services as members
from stadshart import roles
from tests.builders import image_upload, make_member, make_organisation, make_person, make_staff

pytestmark = pytest.mark.django_db

MARKERS = {
    SUBJECT: "Zzonderwerp71",
    NOTES: "Zzgesprek72",
    SIGNAL_NOTES: "Zzsignaal73",
    FOLLOW_UPS: "Zzactie74",
    RELATION_NOTES: "Zzrelatie75",
    PREMISES_NOTES: "Zzpand76",
}
# A member's report is read as notes of a contact (its text is the contact's notes).
REPORT_MARKER = "Zzmelding77"


def build_world(viewers):
    """A business per viewer (they are its accountmanager, so My work lists its signals) and one
    contact with all of them that carries a marker in every text, written by a colleague; each viewer
    holds a follow-up of it. A member of the first business reported a problem with a photo."""
    author = make_staff("schrijver", roles.ACCOUNTMANAGER, first_name="Schrijver")
    make_staff("coordinator", roles.FACILITAIR)
    shops = [
        make_organisation(
            f"Bakkerij Zichtbaar {index}",
            account_manager=viewer,
            influence=4,
            interest_level=4,
            attitude="neutraal",
        )
        for index, viewer in enumerate(viewers)
    ]
    shop = shops[0]
    person = make_person("Fatima", "Bouzid", organisation=shop, email="fatima@zichtbaar.example")
    owner = make_organisation(
        "Pandeigenaar Zichtbaar", kind="vastgoedeigenaar", influence=3, interest_level=2
    )
    relation = Relation.objects.create(
        from_organisation=owner, to_organisation=shop, kind="pandeigenaar_van", note=MARKERS[RELATION_NOTES]
    )
    premises = Premises.objects.create(
        street="Marktstraat", house_number="1", town="Veldhaven", notes=MARKERS[PREMISES_NOTES]
    )
    due = timezone.localdate() + dt.timedelta(days=3)
    log = services.log_interaction(
        staff=author,
        organisations=shops,
        attendees=[person],
        subject=MARKERS[SUBJECT],
        notes=MARKERS[NOTES],
        signals=[services.SignalDraft("conflict", MARKERS[SIGNAL_NOTES])],
        follow_ups=[services.FollowUpDraft(MARKERS[FOLLOW_UPS], due, viewer) for viewer in viewers],
    )
    member = make_member(shop, "Fatima", "Bouzid", "fatima-lid@zichtbaar.example")
    report = members.submit_report(
        membership=member,
        draft=members.ReportDraft(category="heel", description=REPORT_MARKER, location="Marktstraat 1"),
        photo_upload=image_upload(),
    )
    return {
        "shop": shop,
        "person": person,
        "relation": relation,
        "premises": premises,
        "interaction": log.interaction,
        "signal": log.signals[0],
        "follow_up": log.follow_ups[0],
        "report": report,
    }


def pages(world, viewer) -> dict[str, str]:
    """Every page and path that could show CRM text, by a name for the failure message."""
    shop, person = world["shop"], world["person"]
    history = {
        f"history of {name}": reverse("crm_history", args=[name, world[key].pk])
        for name, key in [
            ("organisation", "shop"),
            ("person", "person"),
            ("interaction", "interaction"),
            ("signal", "signal"),
            ("followup", "follow_up"),
            ("relation", "relation"),
            ("premises", "premises"),
        ]
    }
    return {
        "organisation page": reverse("crm_organisation:detail", args=[shop.pk]),
        "person page": reverse("crm_person:detail", args=[person.pk]),
        "organisation list": reverse("crm_organisation:index"),
        "premises edit": reverse("crm_premises:edit", args=[world["premises"].pk]),
        "premises list": reverse("crm_premises:index"),
        "my work": reverse("crm_my_work"),
        "calendar feed": reverse("crm_follow_up_feed", args=[feed_token(viewer)]),
        **history,
        "search": reverse("crm_search:results") + "?q=" + MARKERS[NOTES],
        "search by name": reverse("crm_search:results") + "?q=Zichtbaar",
        "stakeholder map": reverse("crm_stakeholders:map"),
        "lookup": reverse("crm_organisation_lookup") + "?q=Zichtbaar",
        "export organisations": reverse("crm_export:index") + "?list=organisations&format=csv",
        "export people": reverse("crm_export:index") + "?list=people&format=csv",
        "report inspect": reverse("members_report:inspect", args=[world["report"].pk]),
        "report list": reverse("members_report:index"),
        "admin dashboard": reverse("wagtailadmin_home"),
    }


def body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def test_every_page_shows_each_role_only_the_crm_texts_it_may_read(client):
    viewers = {role: make_staff(f"kijker-{role.lower()}", role, first_name="Kijker") for role in roles.ROLES}
    world = build_world(list(viewers.values()))
    for role, viewer in viewers.items():
        client.force_login(viewer)
        seen = {name: body(client.get(url)) for name, url in pages(world, viewer).items()}
        check_role(role, viewer, world, seen, client)


def check_role(role, viewer, world, seen, client):
    reads = readable_by(viewer)
    for text, marker in MARKERS.items():
        if text in reads:
            continue
        # (The search page repeats the words searched for; what it found is checked below.)
        leaks = [name for name, content in seen.items() if marker in content and name != "search"]
        assert not leaks, f"{role} may not read {text} but sees it on {leaks}"
    if NOTES not in reads:
        leaks = [name for name, content in seen.items() if REPORT_MARKER in content]
        assert not leaks, f"{role} may not read a report's text but sees it on {leaks}"
        photo = client.get(reverse("members_report:photo", args=[world["report"].pk]))
        assert photo.status_code in (302, 403), role

    # Who reads a text finds it where it belongs: the organisation page and its timeline.
    organisation_page = seen["organisation page"]
    for text in (SUBJECT, NOTES, SIGNAL_NOTES, FOLLOW_UPS):
        assert (MARKERS[text] in organisation_page) == (text in reads), (role, text)
    if FOLLOW_UPS in reads:
        assert MARKERS[FOLLOW_UPS] in seen["my work"] and MARKERS[FOLLOW_UPS] in seen["calendar feed"]
        assert MARKERS[SIGNAL_NOTES] in seen["my work"]
    else:
        # The task is there, without its text.
        assert "Vervolgactie" in seen["calendar feed"], role
    if NOTES in reads and role != roles.BESTUUR:
        assert REPORT_MARKER in seen["report inspect"], role
    # Search, exports, the stakeholder map and the lookup show no CRM text to anyone, and search
    # finds no business by what was said in a visit.
    assert "crm-search__hit" not in seen["search"], role
    for name in ("search by name", "stakeholder map", "lookup", "export organisations", "export people"):
        assert not any(marker in seen[name] for marker in MARKERS.values()), (role, name)


def test_the_table_names_communicatie_and_bestuur_for_no_text_and_field_work_for_all():
    for text, readers in WHO_READS.items():
        assert roles.COMMUNICATIE not in readers and roles.BESTUUR not in readers, text
        assert {roles.ACCOUNTMANAGER, roles.CENTRUMMANAGER, roles.BEHEERDER} <= readers, text


def test_the_ai_editors_crm_source_holds_counts_only(sanne):
    from newsletter.drafting import signal_sources, source_to_json

    build_world([sanne])
    today = timezone.localdate()
    sources = json.dumps([source_to_json(s) for s in signal_sources(today - dt.timedelta(days=7), today)])
    assert "conflict" in sources.lower() or "Conflict" in sources  # the signal is counted …
    assert not any(marker in sources for marker in MARKERS.values())  # … without its note


def test_the_avg_export_for_staff_holds_everything_and_only_roles_who_may_export_get_it(client):
    centre_manager = make_staff("manager", roles.CENTRUMMANAGER)
    world = build_world([centre_manager])
    url = reverse("crm_person_export", args=[world["person"].pk])
    client.force_login(centre_manager)
    data = body(client.get(url))
    assert MARKERS[NOTES] in data and MARKERS[SUBJECT] in data and MARKERS[FOLLOW_UPS] in data
    for role in (roles.ACCOUNTMANAGER, roles.COMMUNICATIE, roles.FACILITAIR, roles.BESTUUR):
        client.force_login(make_staff(f"geen-{role.lower()}", role))
        assert client.get(url).status_code in (302, 403), role  # Wagtail sends the refused home
