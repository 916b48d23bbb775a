"""The AI editor's commands: ai_eval, ai_test_server (ai_factcheck: see test_factcheck.py)."""

import io
import json
import subprocess
import sys

import openai
import pytest
from django.core.management import call_command

from drafting.evaluation import cases
from tests.services import BASE_DIR, child_env

pytestmark = pytest.mark.django_db


def run_eval(*args) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("ai_eval", *args, stdout=out)
        code = 0
    except SystemExit as exit:
        code = exit.code
    return code, out.getvalue()


def test_the_evaluation_catches_every_bad_reply_and_flags_no_good_one():
    assert len(cases.CASES) >= 25
    code, printed = run_eval()
    lines = printed.splitlines()
    assert code == 0, printed
    good, bad = len(cases.CASES), len(cases.BAD)
    assert lines[-1] == (
        f"OK: {good} briefs, {good} zonder bevinding, {good} op B1-niveau; "
        f"{bad} van {bad} slechte antwoorden gevangen; 0 vals alarm."
    )
    assert sum(line.startswith("  gevangen") for line in lines) == len(cases.BAD)
    koopzondag = next(line for line in lines if line.startswith("koopzondag-december "))
    assert koopzondag.split()[1:3] == ["ja", "ja"] and " B1 " in koopzondag
    from drafting.models import AICall

    assert not AICall.objects.exists()  # the scripted run leaves nothing in the usage log


def test_a_bad_reply_that_gets_through_fails_the_evaluation(monkeypatch):
    good_reply = next(case.reply for case in cases.CASES if case.key == "zomermarkt")
    harmless = cases.Bad("zomermarkt", "a good reply passed off as bad", "date", good_reply)
    monkeypatch.setattr(cases, "BAD", [*cases.BAD, harmless])
    monkeypatch.setattr("drafting.evaluation.run.BAD", cases.BAD)
    code, printed = run_eval()
    assert code == 1
    assert "  GEMIST    zomermarkt" in printed
    assert printed.splitlines()[-1].startswith(f"FOUT: {len(cases.CASES)} briefs")


def test_live_mode_asks_the_configured_server(ai):
    ai.queue(*({"content": case.reply} for case in cases.CASES))
    before = len(ai.requests)
    code, printed = run_eval("--live")
    assert code == 0, printed
    assert len(ai.requests) - before == len(cases.CASES)
    assert f"{len(cases.BAD)} van {len(cases.BAD)} slechte antwoorden gevangen" in printed


def test_the_scripted_server_command_answers_the_real_client_and_records_requests(tmp_path):
    script = tmp_path / "replies.jsonl"
    script.write_text(
        "# a comment line\n"
        + json.dumps({"content": {"text": "Hallo"}, "model": "gpt-script"})
        + "\n"
        + json.dumps({"status": 429, "headers": {"retry-after": "3"}})
        + "\n",
        encoding="utf-8",
    )
    record = tmp_path / "requests.jsonl"
    process = subprocess.Popen(
        [sys.executable, "manage.py", "ai_test_server", "--script", str(script), "--port", "0",
         "--record", str(record)],
        cwd=BASE_DIR, env=child_env(DEBUG="1"), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        first = process.stdout.readline()
        assert first.startswith("Scripted AI server with 2 replies at http://127.0.0.1:"), (
            process.stderr.read()
        )
        url = first.rsplit(" ", 1)[1].strip()
        client = openai.OpenAI(api_key="x", base_url=url, max_retries=0)
        reply = client.chat.completions.create(model="m", messages=[{"role": "user", "content": "Hoi"}])
        assert (reply.choices[0].message.content, reply.model) == ('{"text": "Hallo"}', "gpt-script")
        with pytest.raises(openai.RateLimitError) as limited:
            client.chat.completions.create(model="m", messages=[{"role": "user", "content": "Nog eens"}])
        assert limited.value.response.headers["retry-after"] == "3"
        with pytest.raises(openai.InternalServerError):  # the script is used up
            client.chat.completions.create(model="m", messages=[{"role": "user", "content": "En nu?"}])
    finally:
        process.terminate()
        process.wait(timeout=20)
    bodies = [json.loads(line) for line in record.read_text(encoding="utf-8").splitlines()]
    assert [body["messages"][0]["content"] for body in bodies] == ["Hoi", "Nog eens", "En nu?"]


def test_a_broken_script_is_refused_with_its_line(tmp_path):
    script = tmp_path / "replies.jsonl"
    script.write_text('{"content": "ok"}\nniet json\n', encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "manage.py", "ai_test_server", "--script", str(script), "--port", "0"],
        cwd=BASE_DIR, env=child_env(DEBUG="1"), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 1 and "replies.jsonl:2: not JSON" in done.stderr
