"""manage.py ai_test_server --script FILE.jsonl [--port N] [--record FILE] [--loop]"""

from django.core.management.base import BaseCommand, CommandError

from drafting import testserver


class Command(BaseCommand):
    help = (
        "Run an OpenAI-compatible server on 127.0.0.1 that answers /v1/chat/completions from a script, "
        "so the real AI flow can run against scripted replies (set OPENAI_BASE_URL to the printed address). "
        "FILE.jsonl has one reply per line, used in order: "
        '{"content": "..." or {...}} an answer; '
        '{"status": 429, "headers": {"retry-after": "5"}} an HTTP error; '
        '"delay": seconds before answering; "finish_reason": "content_filter" or "length"; '
        '"refusal": "..." a refusal; "chunks"/"chunk_delay" how a streamed answer is split; '
        '"reject_response_format": true for a server without structured output; "model", "usage". '
        "Lines starting with # are comments. When the script is used up the server answers 503 (or "
        "starts over with --loop). GET /v1/models lists the model."
    )

    def add_arguments(self, parser):
        parser.add_argument("--script", required=True, help="JSONL file: one scripted reply per line")
        parser.add_argument("--port", type=int, default=8011, help="port on 127.0.0.1 (0: any free port)")
        parser.add_argument("--model", default="scripted-model", help="the model name the server reports")
        parser.add_argument("--record", help="append every request body to this file, one JSON line each")
        parser.add_argument("--loop", action="store_true", help="start the script over when it is used up")

    def handle(self, *args, **options):
        try:
            script = testserver.load_script(options["script"])
        except (OSError, ValueError) as error:
            raise CommandError(str(error)) from None
        try:
            server = testserver.ScriptedAIServer(
                script,
                port=options["port"],
                model=options["model"],
                record=options["record"],
                loop=options["loop"],
            )
        except OSError as error:
            raise CommandError(f"Cannot listen on port {options['port']}: {error}") from None
        self.stdout.write(f"Scripted AI server with {len(script)} replies at {server.url}", ending="\n")
        self.stdout.write(f"Use: OPENAI_BASE_URL={server.url} OPENAI_API_KEY=test", ending="\n")
        self.stdout.flush()
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.stop()
