"""The fact check: every fact in an AI text that the brief and the sources do not support.

Facts are found in the text and in the material (brief, source titles, texts, links and dates) by
the same extractors and compared as values: dates as dates ("za 19 december" is 19-12 of the
sources' year, and a weekday that does not fit that date is itself a claim), times as minutes,
amounts as euros ("€ 1.250,-" = 1250), percentages as numbers, links without scheme, "www." and
trailing slash, phone numbers in international form. A proper name is a capitalised word that
does not start a sentence (or a run of capitalised words that does) and occurs nowhere in the
material. Links to hosts other than the site's own, the sources' own addresses and the links in
the brief are claims of kind "host" (a link inside a source's text does not make its host ours).
"""

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from drafting import pii
from drafting.types import Claim, Source

MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "maart": 3, "mrt": 3, "april": 4, "apr": 4,
    "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "augustus": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
    "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7, "august": 8,
    "october": 10, "oct": 10,
}  # fmt: skip
WEEKDAYS = {
    "maandag": 0, "ma": 0, "dinsdag": 1, "di": 1, "woensdag": 2, "wo": 2, "donderdag": 3, "do": 3,
    "vrijdag": 4, "vr": 4, "zaterdag": 5, "za": 5, "zondag": 6, "zo": 6,
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
}  # fmt: skip
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAY_NAMES = "|".join(sorted(WEEKDAYS, key=len, reverse=True))

URL = re.compile(r"(?:https?://|mailto:|www\.)[^\s<>\"'()\[\]]+", re.IGNORECASE)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
AMOUNT = re.compile(
    r"(?:€|EUR|euro)\s?(?P<a>\d{1,3}(?:[.\s]\d{3})+|\d+)(?:,(?P<ac>\d{1,2}|-|–))?(?:\s?(?P<am>miljoen|mln|duizend))?"
    r"|(?P<b>\d{1,3}(?:\.\d{3})+|\d+)(?:,(?P<bc>\d{1,2}))?\s?(?P<bm>miljoen|mln|duizend)?\s?(?:euro|EUR)\b",
    re.IGNORECASE,
)
PERCENT = re.compile(r"(?P<n>\d+(?:[.,]\d+)?)\s?(?:%|procent\b)", re.IGNORECASE)
DATE_NAMED = re.compile(
    rf"(?:\b(?P<wd>{_WEEKDAY_NAMES})\.?,?\s+)?\b(?P<d>[0-3]?\d)\s+(?P<m>{_MONTH_NAMES})\b(?:\s+(?P<y>20\d\d))?",
    re.IGNORECASE,
)
DATE_NUMERIC = re.compile(
    rf"(?:\b(?P<wd>{_WEEKDAY_NAMES})\.?,?\s+)?\b(?P<d>[0-3]?\d)[-/](?P<m>[01]?\d)(?:[-/](?P<y>20\d\d|\d\d))?\b(?![.,:]\d)",
    re.IGNORECASE,
)
DATE_ISO = re.compile(r"\b(?P<y>20\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b")
TIME = re.compile(r"\b(?P<h>[01]?\d|2[0-3])[:.](?P<mi>[0-5]\d)\b(?:\s?uur)?|\b(?P<h2>[01]?\d|2[0-3])\s?uur\b")
WORD = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)
PARTICLES = {"van", "de", "der", "den", "het", "ter", "ten", "te", "in", "'t", "op", "la", "le", "von", "du"}
# Capitalised by convention, not names: the formal "you" and a few abbreviations of our own texts.
NOT_NAMES = {"u", "uw", "ai", "b1", "sjabloon"}
_BLOCK_TAG = re.compile(r"</?(?:p|li|ul|ol|h[1-6]|br|div|blockquote|tr|td)\b[^>]*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")


@dataclass(frozen=True)
class Fact:
    kind: str
    value: object
    start: int
    end: int


def _mask(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]


def _strip_markup(text: str) -> str:
    """The text with tags blanked out (same length, so positions stay); a block tag ends a sentence."""
    text = _BLOCK_TAG.sub(lambda m: "\n" + " " * (len(m.group()) - 1), text)
    return _TAG.sub(lambda m: " " * len(m.group()), text)


def normalise_url(url: str) -> str:
    url = url.rstrip(".,;:!?)»”’'\"")
    if url.lower().startswith("www."):
        url = "https://" + url
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    path = parts.path.rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{path}{query}"


def host_of(url: str) -> str:
    if url.lower().startswith("www."):
        url = "https://" + url
    return (urlsplit(url.rstrip(".,;:!?)")).hostname or "").lower().removeprefix("www.")


def _amount(number: str, cents: str | None, multiplier: str | None) -> float:
    value = float(re.sub(r"[.\s]", "", number))
    if cents and cents not in "-–":
        value += float(f"0.{cents.ljust(2, '0')}")
    if multiplier:
        value *= 1_000_000 if multiplier.lower() in {"miljoen", "mln"} else 1000
    return round(value, 2)


def _year(raw: str | None) -> int | None:
    if not raw:
        return None
    year = int(raw)
    return year + 2000 if year < 100 else year


def extract(text: str, *, region: str = "NL") -> list[Fact]:
    """Every fact in `text` with its position, in order of appearance."""
    facts: list[Fact] = []
    work = text

    def found(kind, value, start, end):
        nonlocal work
        facts.append(Fact(kind, value, start, end))
        work = _mask(work, start, end)

    for m in URL.finditer(text):
        raw = m.group().rstrip(".,;:!?)»”’'\"")
        if raw.lower().startswith("mailto:"):
            address = raw[7:].split("?")[0]
            found("email", address.lower(), m.start(), m.start() + len(raw))
        else:
            found("url", raw, m.start(), m.start() + len(raw))
    work = _strip_markup(work)
    for m in EMAIL.finditer(work):
        found("email", m.group().lower(), m.start(), m.end())
    for m in AMOUNT.finditer(work):
        if m.group("a"):
            value = _amount(m.group("a"), m.group("ac"), m.group("am"))
        else:
            value = _amount(m.group("b"), m.group("bc"), m.group("bm"))
        found("amount", value, m.start(), m.end())
    for m in PERCENT.finditer(work):
        found("percentage", float(m.group("n").replace(",", ".")), m.start(), m.end())
    for pattern in (DATE_ISO, DATE_NAMED, DATE_NUMERIC):
        for m in pattern.finditer(work):
            month = m.group("m")
            month = MONTHS.get(month.lower().rstrip(".")) if not month.isdigit() else int(month)
            day = int(m.group("d"))
            if not month or not 1 <= month <= 12 or not 1 <= day <= 31:
                continue
            weekday = m.groupdict().get("wd")
            value = (day, month, _year(m.group("y")), WEEKDAYS.get(weekday.lower()) if weekday else None)
            found("date", value, m.start(), m.end())
    for m in TIME.finditer(work):
        if m.group("h") is not None:
            minutes = int(m.group("h")) * 60 + int(m.group("mi"))
        else:
            minutes = int(m.group("h2")) * 60
        found("time", minutes, m.start(), m.end())
    for start, end, number in list(pii.phone_numbers(work, region)):
        found("phone", number, start, end)
    facts.extend(_names(work))
    facts.sort(key=lambda fact: fact.start)
    return facts


def _sentence_start(text: str, position: int) -> bool:
    index = position - 1
    while index >= 0 and text[index] in " \t\"'“‘(«[*•–—-":
        index -= 1
    return index < 0 or text[index] in ".!?:\n\r;"


def _names(text: str) -> list[Fact]:
    """Runs of capitalised words (with particles like "van der" between them)."""
    words = list(WORD.finditer(text))
    names = []
    index = 0
    while index < len(words):
        word = words[index]
        if not _capitalised(word.group()):
            index += 1
            continue
        run = [word]
        probe = index + 1
        while probe < len(words) and _adjacent(text, run[-1], words[probe]):
            if _capitalised(words[probe].group()):
                run.append(words[probe])
                probe += 1
                continue
            # "Jan van der Berg": particles only count when a capitalised word follows them
            look = probe
            while (
                look < len(words)
                and words[look].group().lower() in PARTICLES
                and _adjacent(text, words[look - 1], words[look])
            ):
                look += 1
            if (
                probe < look < len(words)
                and _adjacent(text, words[look - 1], words[look])
                and _capitalised(words[look].group())
            ):
                run.extend(words[probe : look + 1])
                probe = look + 1
                continue
            break
        index = probe
        checked = [w for w in run if _capitalised(w.group())]
        if _sentence_start(text, run[0].start()):
            # A sentence's first word is capitalised anyway; it counts as part of a name only when
            # another capitalised word follows it directly ("Marieke Bos opent", not "Werk in de Kerkstraat").
            if not (len(run) > 1 and _capitalised(run[1].group())):
                checked = checked[1:]
                run = run[1:] if len(run) > 1 else run
                while run and not _capitalised(run[0].group()):
                    run = run[1:]
        if checked and run:
            names.append(Fact("name", tuple(w.group() for w in checked), run[0].start(), run[-1].end()))
    return names


def _adjacent(text: str, left, right) -> bool:
    """Two words with only a single space between them (no line break, no masked fact)."""
    return text[left.end() : right.start()] == " "


def _capitalised(word: str) -> bool:
    return word[:1].isupper() and word.lower() not in NOT_NAMES


@dataclass
class Material:
    """What the brief and the sources support, as sets of values."""

    dates: set
    times: set
    amounts: set
    percentages: set
    urls: set
    emails: set
    phones: set
    words: set
    hosts: set
    years: set
    weekday_dates: set

    @classmethod
    def of(cls, brief: str, sources: Sequence[Source]) -> "Material":
        texts = [brief or ""]
        for source in sources:
            texts += [source.title or "", source.text or "", source.url or ""]
        facts = [fact for text in texts for fact in extract(text)]
        dates = {(f.value[0], f.value[1], f.value[2]) for f in facts if f.kind == "date"}
        # "zaterdag 19 december" as the sources write it is supported whatever the year says.
        weekday_dates = {
            (f.value[0], f.value[1], f.value[3]) for f in facts if f.kind == "date" and f.value[3] is not None
        }
        dates |= {(s.date.day, s.date.month, s.date.year) for s in sources if s.date}
        years = {s.date.year for s in sources if s.date} | {d[2] for d in dates if d[2]}
        if years:
            # A date without a year in the material is in the sources' year.
            dates = {d for d in dates if d[2]} | {(d[0], d[1], y) for d in dates if not d[2] for y in years}
        urls = {normalise_url(f.value) for f in facts if f.kind == "url"}
        # Hosts of the sources themselves and of links in the brief: a link inside a source's text
        # (say a hostile news item's) does not make its host one of ours.
        hosts = {host_of(s.url) for s in sources if s.url}
        hosts |= {host_of(f.value) for f in extract(brief or "") if f.kind == "url"}
        words = {w.group().lower() for text in texts for w in WORD.finditer(text)}
        return cls(
            dates=dates,
            times={f.value for f in facts if f.kind == "time"},
            amounts={f.value for f in facts if f.kind == "amount"},
            percentages={f.value for f in facts if f.kind == "percentage"},
            urls=urls,
            emails={f.value for f in facts if f.kind == "email"},
            phones={f.value for f in facts if f.kind == "phone"},
            words=words,
            hosts=hosts,
            years=years,
            weekday_dates=weekday_dates,
        )

    def supports_date(self, day: int, month: int, year: int | None, weekday: int | None) -> bool:
        matching = [
            d for d in self.dates if d[0] == day and d[1] == month and (not year or not d[2] or d[2] == year)
        ]
        if not matching:
            return False
        if weekday is None or (day, month, weekday) in self.weekday_dates:
            return True
        years = {year} if year else ({d[2] for d in matching if d[2]} or self.years)
        if not years:
            return True  # no year anywhere: the weekday cannot be checked
        return any(_weekday_fits(day, month, y, weekday) for y in years)


def _weekday_fits(day: int, month: int, year: int, weekday: int) -> bool:
    try:
        return datetime.date(year, month, day).weekday() == weekday
    except ValueError:
        return False


def check(
    text: str, *, brief: str = "", sources: Sequence[Source] = (), own_hosts: Sequence[str] = ()
) -> list[Claim]:
    """The claims in `text` that the brief and sources do not support, in order of appearance."""
    if not text:
        return []
    material = Material.of(brief, sources)
    allowed_hosts = material.hosts | {h.lower().removeprefix("www.") for h in own_hosts if h}
    claims: list[Claim] = []
    for fact in extract(text):
        snippet = text[fact.start : fact.end]
        supported = True
        if fact.kind == "date":
            supported = material.supports_date(*fact.value)
        elif fact.kind == "time":
            supported = fact.value in material.times
        elif fact.kind == "amount":
            supported = fact.value in material.amounts
        elif fact.kind == "percentage":
            supported = fact.value in material.percentages
        elif fact.kind == "email":
            supported = fact.value in material.emails
        elif fact.kind == "phone":
            supported = fact.value in material.phones
        elif fact.kind == "name":
            supported = all(word.lower() in material.words for word in fact.value)
        elif fact.kind == "url":
            supported = normalise_url(fact.value) in material.urls
            host = host_of(fact.value)
            if host and host not in allowed_hosts and not any(host.endswith("." + h) for h in allowed_hosts):
                claims.append(Claim(kind="host", text=host, start=fact.start, end=fact.end))
        if not supported:
            claims.append(Claim(kind=fact.kind, text=snippet, start=fact.start, end=fact.end))
    return claims
