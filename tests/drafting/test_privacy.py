"""No name, e-mail address or phone number of a demo person reaches the AI server.

The session's scripted server records every request body of the whole test run (tests/ai_server.py).
The last test of the run loads the demo centre's people and searches every request for them; it
also drafts from the demo's own material first, so it has something to search when run alone.
"""

import json
import re

import phonenumbers
import pytest
from django.contrib.auth import get_user_model
from django.db.models import Count

from crm.models import EmailAddress, Person, PhoneNumber, Signal
from drafting.api import DraftRequest, Source, draft
from tests.builders import seed_demo_people
from tests.drafting import schemas

pytestmark = pytest.mark.django_db


def demo_material() -> tuple[Source, ...]:
    """Sources as a consumer builds them: signals counted per theme, and organisation descriptions."""
    themes = Signal.objects.values("kind").annotate(count=Count("pk")).order_by("kind")
    signals = Source(
        kind="signals",
        title="Signalen per thema",
        text="; ".join(f"{row['kind']}: {row['count']}" for row in themes),
    )
    from crm.models import Organisation

    descriptions = " ".join(
        o.description for o in Organisation.objects.exclude(description="").order_by("pk")[:40]
    )
    return (signals, Source(kind="page", title="Ondernemers in het centrum", text=descriptions or "-"))


def test_careless_free_text_loses_every_email_and_phone_of_the_demo_people(demo_centre, ai):
    emails = list(EmailAddress.objects.order_by("pk").values_list("email", flat=True)[:40])
    phones = list(PhoneNumber.objects.order_by("pk").values_list("number", flat=True)[:40])
    assert emails and phones
    careless = Source(
        kind="news",
        title="Contactgegevens",
        text=" ".join(f"Mail {e} of bel {p}." for e, p in zip(emails, phones, strict=False)),
    )
    ai.queue({"content": {"text": "Een bericht."}})
    draft(
        DraftRequest(purpose="rewrite", prompt="rewrite", schema=schemas.REWRITE, sources=(careless,)),
        user=None,
    )
    sent = json.dumps(ai.requests[-1], ensure_ascii=False)
    assert [e for e in emails if e in sent] == []
    assert [p for p in phones if p in sent] == []


def phone_numbers_in(text: str) -> set[str]:
    return {
        phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
        for match in phonenumbers.PhoneNumberMatcher(text, "NL", leniency=phonenumbers.Leniency.POSSIBLE)
    }


def e164(number: str) -> str | None:
    try:
        return phonenumbers.format_number(
            phonenumbers.parse(number, "NL"), phonenumbers.PhoneNumberFormat.E164
        )
    except phonenumbers.NumberParseException:
        return None


@pytest.fixture
def seeded_here(transactional_db):
    """The demo centre's people, seeded here and not through demo_centre: that shared centre lives
    in a transaction of the non-transactional tests, and this test runs after the transactional
    ones. Only the units that add people (the whole centre has no other person, and loads ten
    times slower); seeded before `ai` points the settings at the scripted server."""
    seed_demo_people()


@pytest.mark.ai_requests_of_the_suite
# Last in the run, after tests that flush the database: restore what the migrations made (the roles).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_no_request_of_the_whole_run_holds_a_demo_person(seeded_here, ai, ai_server):
    ai.queue({"content": {"text": "Een bericht."}})
    brief = "Schrijf een kort bericht over wat ondernemers ons meldden."
    request = DraftRequest(
        purpose="rewrite", prompt="rewrite", schema=schemas.REWRITE, brief=brief, sources=demo_material()
    )
    draft(request, user=get_user_model().objects.filter(first_name__gt="").first())
    bodies = [json.dumps(body, ensure_ascii=False) for body in ai_server.requests]
    assert bodies, "no request reached the scripted AI server"
    everything = "\n".join(bodies)

    names = {p.full_name for p in Person.objects.exclude(first_name="")}
    names |= {
        u.get_full_name() for u in get_user_model().objects.exclude(first_name="").exclude(last_name="")
    }
    emails = set(EmailAddress.objects.values_list("email", flat=True))
    emails |= set(get_user_model().objects.exclude(email="").values_list("email", flat=True))
    phones = {e164(n) for n in PhoneNumber.objects.values_list("number", flat=True)} - {None}
    assert len(names) > 100 and len(emails) > 100 and len(phones) > 50

    found_names = sorted(name for name in names if re.search(rf"\b{re.escape(name)}\b", everything))
    found_emails = sorted(address for address in emails if address.lower() in everything.lower())
    found_phones = sorted(phone_numbers_in(everything) & phones)
    assert (found_names, found_emails, found_phones) == ([], [], []), f"{len(bodies)} requests searched"
