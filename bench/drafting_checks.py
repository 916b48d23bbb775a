"""Time the AI editor's own work around a model call: the fact check and the output checks.

    DEBUG=1 .venv/bin/python bench/drafting_checks.py [ROUNDS]

Runs the evaluation's 26 good replies through parse + clean + validate (drafting.output) and the
fact check against their sources, ROUNDS times (default 20), and the PII scrub over their prompts.
Prints drafts per second and milliseconds per draft for each step; asserts nothing about time.
"""

import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stadshart.settings")

import django  # noqa: E402

django.setup()

from drafting import client, factcheck, output, pii, prompts  # noqa: E402
from drafting.evaluation import run  # noqa: E402
from drafting.evaluation.cases import CASES, OWN_HOSTS  # noqa: E402


def timed(label: str, rounds: int, work) -> None:
    started = time.perf_counter()
    for _ in range(rounds):
        for case in CASES:
            work(case)
    seconds = time.perf_counter() - started
    drafts = rounds * len(CASES)
    print(f"{label:34} {drafts / seconds:8.0f} drafts/s  {1000 * seconds / drafts:6.2f} ms per draft")


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    raw = {case.key: json.dumps(case.reply, ensure_ascii=False) for case in CASES}

    def checks(case):
        request = run.request_for(case)
        data = output.clean(output.parse_json(raw[case.key]), request)
        output.validate(data, request)

    def fact_check(case):
        factcheck.check("\n".join(run.texts_of(case.reply)), brief=case.brief, sources=case.sources,
                        own_hosts=OWN_HOSTS)  # fmt: skip

    def messages(case):
        request = run.request_for(case)
        client.build_messages(request, prompt=prompts.load(request.prompt))

    def scrub(case):
        pii.scrub("\n".join(f"{s.title}\n{s.text}" for s in case.sources))

    print(f"{len(CASES)} drafts x {rounds} rounds")
    timed("parse, clean, validate", rounds, checks)
    timed("fact check", rounds, fact_check)
    timed("prompt (fence + PII scrub)", rounds, messages)
    timed("PII scrub of the sources alone", rounds, scrub)


if __name__ == "__main__":
    main()
