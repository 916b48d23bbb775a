"""The fact check marks every fact the brief and sources do not support, and nothing they do."""

import datetime
import json
import subprocess
import sys

import pytest

from drafting.api import Source, fact_check
from tests.services import BASE_DIR, child_env

SOURCES = (
    Source(
        kind="event",
        title="Koopzondag in de Langestraat",
        text=(
            "Op zondag 20 december zijn de winkels open van 12.00 tot 17.00 uur. Parkeren kost "
            "€ 1.250,- per jaar of 2,50 euro per uur; 15% korting voor leden. Vragen: "
            "info@veldhaven.example of 076 123 4567. Het ondernemersfonds betaalt € 2 miljoen."
        ),
        url="https://veldhaven.example/agenda/koopzondag",
        date=datetime.date(2026, 12, 20),
    ),
)


def claims(text, *, brief="", sources=SOURCES, own_hosts=("veldhaven.example",)):
    return [(c.kind, c.text) for c in fact_check(text, brief=brief, sources=sources, own_hosts=own_hosts)]


@pytest.mark.parametrize(
    "text",
    [
        "Op zo 20 december is het koopzondag in de Langestraat.",
        "Kom op zondag 20-12 langs, van 12:00 tot 17 uur.",
        "Datum: 20/12/2026, open 12.00-17.00 uur.",
        "Op 2026-12-20 zijn de winkels open.",
        "Parkeren kost €1250 per jaar of € 2,50 per uur, met 15 procent korting.",
        "Het fonds betaalt 2 miljoen euro.",
        "Mail naar info@veldhaven.example of bel +31 76 123 4567.",
        '<p>Meer op <a href="https://www.veldhaven.example/agenda/koopzondag/">de agenda</a>.</p>',
        "Alles over de koopzondag. Langestraat open.",
    ],
)
def test_facts_from_the_sources_are_supported_in_any_notation(text):
    assert claims(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("De markt is op zaterdag 19 december.", [("date", "zaterdag 19 december")]),
        ("Kom op 21-12 langs.", [("date", "21-12")]),
        ("Het is op 20 december 2025.", [("date", "20 december 2025")]),
        ("Kom op vrijdag 20 december.", [("date", "vrijdag 20 december")]),
        ("Open tot 18.00 uur.", [("time", "18.00 uur")]),
        ("Open vanaf 11 uur.", [("time", "11 uur")]),
        ("Het kost € 1.500,-.", [("amount", "€ 1.500,-")]),
        ("Leden krijgen 20% korting.", [("percentage", "20%")]),
        ("Bel 06-12345678.", [("phone", "06-12345678")]),
        ("Mail naar jan@veldhaven.example.", [("email", "jan@veldhaven.example")]),
        (
            "Zie https://veldhaven.example/agenda/kerstmarkt voor meer.",
            [("url", "https://veldhaven.example/agenda/kerstmarkt")],
        ),
        (
            "Zie https://evil.example/koopzondag.",
            [("host", "evil.example"), ("url", "https://evil.example/koopzondag")],
        ),
        ("De opening is door wethouder Jansen.", [("name", "Jansen")]),
        ("Dit jaar opent Piet van der Berg de markt.", [("name", "Piet van der Berg")]),
        ("Marieke Bos opent de markt.", [("name", "Marieke Bos")]),
    ],
)
def test_unsupported_facts_are_marked(text, expected):
    assert claims(text) == expected


def test_the_brief_counts_as_a_source():
    assert claims("Open tot 18.00 uur.", brief="De winkels zijn open tot 18.00 uur.") == []


def test_a_date_without_year_is_read_in_the_sources_year_for_its_weekday():
    sources = (Source(kind="event", title="Markt", text="De markt", date=datetime.date(2027, 12, 18)),)
    # 18 December 2027 is a Saturday; in 2026 it is a Friday.
    assert claims("Op za 18 december is de markt.", sources=sources) == []
    assert claims("Op vr 18 december is de markt.", sources=sources) == [("date", "vr 18 december")]


def test_claims_point_at_their_place_in_the_text():
    text = "Welkom! Bel 06-12345678 voor info."
    (claim,) = fact_check(text, brief="", sources=SOURCES, own_hosts=[])
    assert text[claim.start : claim.end] == "06-12345678"


def test_sentence_starts_and_markup_are_not_names():
    text = "<h2>Kerstverlichting</h2><p>Vanaf vandaag brandt alles. Kom kijken!</p><ul><li>Gezellig</li></ul>"
    assert claims(text) == []


def run_command(tmp_path, text, *sources):
    paths = []
    for number, source in enumerate(sources):
        path = tmp_path / f"source{number}.json"
        path.write_text(json.dumps(source), encoding="utf-8")
        paths.append(str(path))
    text_path = tmp_path / "text.html"
    text_path.write_text(text, encoding="utf-8")
    return subprocess.run(
        [sys.executable, "manage.py", "ai_factcheck", "--sources", *paths, "--text", str(text_path),
         "--own-host", "veldhaven.example"],
        cwd=BASE_DIR, env=child_env(DEBUG="1"), capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_the_command_prints_each_claim_and_exits_1(tmp_path):
    source = {
        "kind": "event",
        "title": "Koopzondag",
        "text": "Zondag 20 december open.",
        "date": "2026-12-20",
    }
    done = run_command(tmp_path, "Open op 20 december en 21 december; zie https://evil.example/x.", source)
    assert done.returncode == 1, done.stderr
    assert done.stdout.splitlines() == [
        "date\t21 december",
        "host\tevil.example",
        "url\thttps://evil.example/x",
    ]


def test_the_command_exits_0_when_everything_is_supported(tmp_path):
    source = {"kind": "event", "title": "Koopzondag", "text": "Zondag 20 december open."}
    done = run_command(tmp_path, "Open op zo 20 december.", source)
    assert (done.returncode, done.stdout) == (0, ""), done.stderr
