"""manage.py ai_eval [--live]: the AI editor's evaluation over a centre's year of briefs."""

from django.core.management.base import BaseCommand

from drafting import client
from drafting.evaluation import run
from drafting.testserver import ScriptedAIServer


def _mark(ok: bool) -> str:
    return "ja" if ok else "NEE"


class Command(BaseCommand):
    help = (
        "Evaluate the AI editor: at least 25 Dutch briefs of a centre's year (with their sources and the "
        "facts that must appear) and a corpus of bad replies (invented date, unknown URL, a person's name, "
        "over-long posts, an obeyed injection, broken JSON, ...). Prints per brief: valid, within limits, "
        "Flesch-Douma readability against the B1 target, facts present, unsupported claims; then how many "
        "bad replies the checks caught; and one summary line. By default it starts a scripted server on "
        "loopback with good replies; --live asks the configured AI server. Exits 1 when a bad reply got "
        "through or a good one was flagged (scripted), or when a bad reply got through (live)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--live", action="store_true", help="ask the configured AI server (costs tokens)")

    def handle(self, *args, **options):
        live = options["live"]
        if live and not client.is_available():
            self.stderr.write("No AI server is configured (OPENAI_API_KEY / OPENAI_BASE_URL).")
            raise SystemExit(2)
        server = None if live else ScriptedAIServer().start()
        try:
            report = run.evaluate(live=live, server=server)
        finally:
            if server:
                server.stop()
        write = self.stdout.write
        write(f"{'brief':34} geldig  limiet  leesbaarheid (B1 ≥ {run.B1_TARGET:g})  feiten  niet in bronnen")
        b1 = 0
        for outcome in report.good:
            score = outcome.readability
            if score is not None and score >= run.B1_TARGET:
                b1 += 1
            score_text = (
                "–" if score is None else f"{score:5.1f} {'B1' if score >= run.B1_TARGET else 'moeilijker'}"
            )
            facts = "ja" if not outcome.missing else "mist: " + ", ".join(outcome.missing)
            claims = ", ".join(f"{c.kind} “{c.text}”" for c in outcome.claims) or "–"
            write(
                f"{outcome.key:34} {_mark(outcome.valid):7} {_mark(outcome.valid and not outcome.limits):7} "
                f"{score_text:28} {facts:7} {claims}" + (f"  [{outcome.error[:80]}]" if outcome.error else "")
            )
        write("")
        write("Slechte antwoorden:")
        for bad, outcome in report.bad:
            caught = bad.catch in outcome.caught_by()
            found = ", ".join(sorted(outcome.caught_by())) or "niets"
            verdict = "gevangen" if caught else "GEMIST"
            write(f"  {verdict:9} {bad.case:30} {bad.what} (verwacht: {bad.catch}; gevonden: {found})")
        write("")
        good_total, bad_total = len(report.good), len(report.bad)
        ok = report.caught == bad_total and (live or report.false_alarms == 0)
        clean = good_total - report.false_alarms
        write(
            f"{'OK' if ok else 'FOUT'}: {good_total} briefs, {clean} zonder bevinding, "
            f"{b1} op B1-niveau; {report.caught} van {bad_total} slechte antwoorden gevangen; "
            f"{report.false_alarms} vals alarm."
        )
        if not ok:
            raise SystemExit(1)
