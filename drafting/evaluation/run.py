"""The evaluation: every brief of the year through the real drafting path, every bad reply through
the same checks. Used by `manage.py ai_eval`.

Scripted (default): a ScriptedAIServer on loopback answers each brief with its good reply and then
each bad reply; everything runs inside a transaction that is rolled back, so the usage log keeps
no trace. Live (--live): the configured server answers the briefs (logged and counted against the
budget like any call), and the bad corpus goes through the same local checks without a server.
"""

import re
from dataclasses import dataclass, field

from django.db import transaction
from django.test import override_settings

from drafting import factcheck, output
from drafting.evaluation.cases import BAD, CASES, OWN_HOSTS, Bad, Case
from drafting.services import draft
from drafting.shapes import shape
from drafting.types import DraftingError, DraftRequest

B1_TARGET = 60.0  # Flesch-Douma: 60-70 reads as "normal" text, what language level B1 asks for
_VOWELS = re.compile(r"[aeiouyàáâäèéêëìíîïòóôöùúûü]+", re.IGNORECASE)
_SENTENCE = re.compile(r"[.!?]+(?:\s|$)|\n+")
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def flesch_douma(text: str) -> float | None:
    """206.84 − 0.93 × words per sentence − 77 × syllables per word (Douma's Dutch Flesch)."""
    words = _WORD.findall(text)
    if not words:
        return None
    sentences = max(len([s for s in _SENTENCE.split(text) if _WORD.search(s)]), 1)
    syllables = sum(max(len(_VOWELS.findall(word)), 1) for word in words)
    return round(206.84 - 0.93 * (len(words) / sentences) - 77 * (syllables / len(words)), 1)


def request_for(case: Case) -> DraftRequest:
    """The request the consumer app would send for the case: its registered schema and options."""
    registered = shape(case.purpose)
    options = dict(registered.options)
    if case.purpose == "newsletter":
        options["tone"] = "vriendelijk"
    options.update(case.options)
    return DraftRequest(
        purpose=case.purpose, prompt=case.purpose, schema=registered.schema, brief=case.brief,
        sources=case.sources, options=options,
    )  # fmt: skip


def texts_of(data) -> list[str]:
    """Every string in a draft, in order (subject lines, preheader, blocks, posts, links)."""
    if isinstance(data, dict):
        return [t for value in data.values() for t in texts_of(value)]
    if isinstance(data, list):
        return [t for value in data for t in texts_of(value)]
    return [data] if isinstance(data, str) else []


def reading_text(data: dict) -> str:
    """The prose a reader reads, without markup or links, for the readability score."""
    parts = []
    for block in data.get("blocks", []):
        if block.get("type") in output.HTML_BLOCK_TYPES:
            parts.append(re.sub(r"<[^>]+>", " ", block["value"]))
    for post in data.get("posts", []):
        parts.append(post["text"])
    return "\n".join(parts)


def limit_problems(data: dict) -> list[str]:
    problems = []
    limits = shape("social").options["limits"] if data.get("posts") else {}
    for post in data.get("posts", []):
        limit = limits[post["channel"]]
        text = post["text"]
        if post["channel"] == "x":
            # X counts every link as 23 characters.
            length = len(factcheck.URL.sub("x" * 23, text)) + (24 if post.get("link") else 0)
        else:
            length = len(text) + (len(post["link"]) + 1 if post.get("link") else 0)
        if length > limit:
            problems.append(f"{post['channel']}: {length} > {limit}")
        if post["channel"] == "instagram" and (post.get("link") or factcheck.URL.search(text)):
            problems.append("instagram: a link that cannot be clicked")
    return problems


def fact_present(fact: str, text: str) -> bool:
    if fact.casefold() in text.casefold():
        return True
    wanted = {(f.kind, str(f.value)) for f in factcheck.extract(fact) if f.kind != "name"}
    found = {(f.kind, str(f.value)) for f in factcheck.extract(text)}
    return bool(wanted) and wanted <= found


@dataclass
class Outcome:
    key: str
    valid: bool = False
    error: str = ""
    error_kind: str = ""
    limits: list = field(default_factory=list)
    readability: float | None = None
    missing: list = field(default_factory=list)
    claims: list = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return self.valid and not self.limits and not self.missing and not self.claims

    def caught_by(self) -> set[str]:
        kinds = {claim.kind for claim in self.claims}
        if not self.valid:
            kinds.add(self.error_kind)
            if "too long" in self.error:
                kinds.add("limits")
        if self.limits:
            kinds.add("limits")
        if self.missing:
            kinds.add("facts")
        return kinds


def judge(case: Case, get_data) -> Outcome:
    """Run `get_data()` (a draft, or local checks of a given reply) and judge its result."""
    outcome = Outcome(case.key)
    try:
        data = get_data()
    except DraftingError as error:
        outcome.error = error.detail or error.message
        outcome.error_kind = error.outcome
        return outcome
    outcome.valid = True
    outcome.limits = limit_problems(data)
    text = "\n".join(texts_of(data))
    outcome.readability = flesch_douma(reading_text(data))
    outcome.missing = [fact for fact in case.facts if not fact_present(fact, text)]
    outcome.claims = factcheck.check(text, brief=case.brief, sources=case.sources, own_hosts=OWN_HOSTS)
    return outcome


def check_locally(case: Case, content) -> dict:
    """The checks draft() makes on an answer, without a server (for the bad corpus when live)."""
    import json

    request = request_for(case)
    raw = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
    data = output.clean(output.parse_json(raw), request)
    output.validate(data, request)
    return data


@dataclass
class Report:
    good: list[Outcome]
    bad: list[tuple[Bad, Outcome]]

    @property
    def false_alarms(self) -> int:
        return sum(not outcome.clean for outcome in self.good)

    @property
    def caught(self) -> int:
        return sum(bad.catch in outcome.caught_by() for bad, outcome in self.bad)


def evaluate(*, live: bool = False, server=None, cases=None, bad=None) -> Report:
    """Run every case and bad reply. Scripted unless `live`; `server` is a started ScriptedAIServer."""
    cases = CASES if cases is None else cases
    bad = BAD if bad is None else bad
    if live:
        good = [judge(case, lambda case=case: draft(request_for(case), user=None).data) for case in cases]
        bad_outcomes = [
            (item, judge(_case(item), lambda item=item: check_locally(_case(item), item.content)))
            for item in bad
        ]
        return Report(good, bad_outcomes)

    script = [{"content": case.reply} for case in cases] + [{"content": item.content} for item in bad]
    server.set_script(script)
    settings = {
        "OPENAI_API_KEY": "eval", "OPENAI_BASE_URL": server.url, "OPENAI_MODEL": "scripted-model",
        "OPENAI_STREAM": False, "AI_MONTHLY_BUDGET_TOKENS": 0, "AI_RATE_LIMIT_PER_HOUR": 0,
    }  # fmt: skip
    with override_settings(**settings), transaction.atomic():
        good = [judge(case, lambda case=case: draft(request_for(case), user=None).data) for case in cases]
        bad_outcomes = [
            (item, judge(_case(item), lambda item=item: draft(request_for(_case(item)), user=None).data))
            for item in bad
        ]
        transaction.set_rollback(True)
    return Report(good, bad_outcomes)


def _case(item: Bad) -> Case:
    return next(case for case in CASES if case.key == item.case)
