"""A newsletter's audience: its segments together, minus the excluded ones, consent per kind,
one message per address, never a suppressed address."""

from crm.models import Consent, EmailAddress
from crm.services import record_consent
from newsletter.models import Suppression
from newsletter.queries.audience import audience_summary, recipients
from tests.builders import make_organisation, make_segment, published_newsletter, subscriber


def emails(page):
    return sorted(recipient.email for recipient in recipients(page))


def test_segments_together_minus_the_excluded_segment(db):
    bakery = make_organisation("Bakkerij", sector="detailhandel_dagelijks", street="Marktstraat")
    cafe = make_organisation("Café", sector="horeca", street="Kerkstraat")
    shop = make_organisation("Boekhandel", sector="detailhandel_dagelijks", street="Kerkstraat")
    subscriber("Fatima", "fatima@bakkerij.nl", organisation=bakery)
    subscriber("Joost", "joost@cafe.nl", organisation=cafe)
    subscriber("Anouk", "anouk@boek.nl", organisation=shop)
    market = make_segment(streets=["Marktstraat"])
    church = make_segment(streets=["Kerkstraat"])
    horeca = make_segment(sectors=["horeca"])

    page = published_newsletter(segments=[market, church], excluded=[horeca])

    assert emails(page) == ["anouk@boek.nl", "fatima@bakkerij.nl"]


def test_only_consent_for_the_newsletters_kind_counts_and_the_newest_choice_wins(db):
    subscriber("Service", "service@zaak.nl", topic=Consent.Topic.SERVICE_NEWSLETTER)
    subscriber("Marketing", "marketing@zaak.nl", topic=Consent.Topic.MARKETING_NEWSLETTER)
    changed_mind = subscriber("Weg", "weg@zaak.nl", topic=Consent.Topic.SERVICE_NEWSLETTER)
    record_consent(
        person=changed_mind,
        topic=Consent.Topic.SERVICE_NEWSLETTER,
        granted=False,
        source=Consent.Source.PORTAL,
    )
    subscriber("Nooit", "nooit@zaak.nl", topic=None)
    everyone = make_segment()

    assert emails(published_newsletter(segments=[everyone], kind="service")) == ["service@zaak.nl"]
    assert emails(published_newsletter(segments=[everyone], kind="marketing")) == ["marketing@zaak.nl"]


def test_an_address_gets_one_message_however_it_is_written_and_a_person_only_their_primary(db):
    one = subscriber("Een", "Info@Zaak.nl")
    subscriber("Twee", "info@zaak.nl")
    EmailAddress.objects.create(person=one, email="prive@zaak.nl", is_primary=False)
    market = make_segment(streets=["Marktstraat"])

    found = list(recipients(published_newsletter(segments=[market, make_segment()])))

    assert [recipient.email for recipient in found] == ["info@zaak.nl"]


def test_suppressed_addresses_never_get_a_newsletter(db):
    subscriber("Bounce", "bounce@zaak.nl")
    subscriber("Blijft", "blijft@zaak.nl")
    Suppression.objects.create(email="BOUNCE@zaak.nl", reason=Suppression.Reason.HARD_BOUNCE)

    assert emails(published_newsletter(segments=[make_segment()])) == ["blijft@zaak.nl"]


def test_the_summary_counts_and_samples_with_the_same_queries_for_any_audience(db, django_assert_num_queries):
    organisation = make_organisation("Winkelcentrum")
    for index in range(30):
        subscriber(f"Lezer{index}", f"lezer{index}@zaak.nl", organisation=organisation)
    page = published_newsletter(
        segments=[make_segment(), make_segment()], excluded=[make_segment(sectors=["horeca"])]
    )

    # segments, excluded segments, and the one query that resolves the audience
    with django_assert_num_queries(3):
        summary = audience_summary(page, sample=5)

    assert summary["count"] == 30
    assert len(summary["sample"]) == 5
    assert summary["sample"][0].first_name.startswith("Lezer")


def test_a_newsletter_without_segments_has_no_audience(db):
    subscriber("Fatima", "fatima@zaak.nl")
    assert audience_summary(published_newsletter(segments=[]))["count"] == 0
