"""Batch sending through an ESP (NEWSLETTER_BATCH_SEND) with anymail's real Mailgun backend.

Mailgun's servers cannot run here, so a loopback HTTP server answers as its messages API does
(https://documentation.mailgun.com/docs/mailgun/api-reference/openapi-final/tag/Messages/):
form fields in, `{"id": …, "message": "Queued. Thank you."}` out. Everything on our side is
real: anymail builds the request from our merge data, headers and metadata, and the pipeline
records what came back.
"""

import json
import threading
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

import pytest

from newsletter import services
from newsletter.models import Delivery
from newsletter.sending import worker as sending_worker
from tests.builders import audience, make_segment, published_newsletter

DOMAIN = "mg.stadshart.example"


class FakeMailgun(ThreadingHTTPServer):
    """Answers POST /v3/<domain>/messages like Mailgun; keeps each request's form fields."""

    def __init__(self):
        super().__init__(("127.0.0.1", 0), MailgunHandler)
        self.calls: list[tuple[str, list[tuple[str, str]]]] = []
        self.answer: tuple[int, dict] = (200, {"id": "<20261123.1.BATCH@mg.stadshart.example>"})

    def __enter__(self):
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.shutdown()
        self.server_close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v3"


class MailgunHandler(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.calls.append((self.path, form_fields(self.headers["Content-Type"], body)))
        status, payload = self.server.answer
        if status == 200:
            payload = payload | {"message": "Queued. Thank you."}
        answer = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


def form_fields(content_type: str, body: bytes) -> list[tuple[str, str]]:
    """A form post's fields, urlencoded or multipart, as Mailgun reads them."""
    if content_type.startswith("multipart/form-data"):
        message = BytesParser(policy=HTTP).parsebytes(
            b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body
        )
        return [
            (part.get_param("name", header="content-disposition"), part.get_content())
            for part in message.iter_parts()
        ]
    return parse_qsl(body.decode(), keep_blank_values=True)


@pytest.fixture
def mailgun(settings):
    with FakeMailgun() as server:
        settings.EMAIL_BACKEND = "anymail.backends.mailgun.EmailBackend"
        settings.ANYMAIL = {
            "MAILGUN_API_KEY": "key-test-only",
            "MAILGUN_API_URL": server.url,
            "MAILGUN_SENDER_DOMAIN": DOMAIN,
        }
        settings.NEWSLETTER_BATCH_SEND = True
        settings.NEWSLETTER_MERGE_FIELD = "%recipient.{name}%"  # Mailgun's recipient variables
        yield server


def values(fields, name: str) -> list[str]:
    return [value for key, value in fields if key == name]


def test_a_batch_is_one_mailgun_call_with_each_readers_own_links_and_headers(db, mailgun):
    addresses = audience(3)
    greeting = ("greeting", {"salutation": "Beste", "fallback": "ondernemer"})
    send = services.queue_send(published_newsletter(segments=[make_segment()], body=[greeting]))

    sending_worker.work_on_send(send.pk)

    assert len(mailgun.calls) == 1
    path, fields = mailgun.calls[0]
    assert path == f"/v3/{DOMAIN}/messages"
    assert sorted(values(fields, "to")) == sorted(addresses)
    html = values(fields, "html")[0]
    assert "%recipient.first_name%" in html and "%recipient.unsubscribe_url%" in html
    assert "{{" not in html  # none of our own placeholders left for Mailgun to send as they are
    assert values(fields, "h:List-Unsubscribe-Post") == ["List-Unsubscribe=One-Click"]

    per_reader = json.loads(values(fields, "recipient-variables")[0])
    deliveries = dict(Delivery.objects.filter(send=send).values_list("email", "pk"))
    assert set(per_reader) == set(addresses)
    unsubscribe_links = set()
    for address, variables in per_reader.items():
        assert variables["first_name"] == f"Lezer{addresses.index(address)}"
        assert "/nieuwsbrief/afmelden/" in variables["unsubscribe_url"]
        assert variables["h:List-Unsubscribe"].startswith("<http")
        assert "/nieuwsbrief/afmelden/" in variables["h:List-Unsubscribe"]
        assert str(variables["v:delivery_id"]) == str(deliveries[address])
        unsubscribe_links.add(variables["unsubscribe_url"])
    assert len(unsubscribe_links) == 3  # signed per reader

    stored = Delivery.objects.filter(send=send).values_list("status", "esp_message_id")
    assert set(stored) == {("sent", "<20261123.1.BATCH@mg.stadshart.example>")}


def test_mailgun_unavailable_puts_the_batch_back_for_later(db, mailgun):
    mailgun.answer = (503, {"message": "Service Unavailable"})
    audience(2)
    send = services.queue_send(published_newsletter(segments=[make_segment()]))

    sending_worker.send_next_batch(send.pk)

    rows = list(Delivery.objects.filter(send=send).values_list("status", "not_before", "error"))
    assert {status for status, _at, _error in rows} == {"queued"}
    assert all(not_before is not None for _status, not_before, _error in rows)  # after a pause
    assert all("503" in error for _status, _at, error in rows)


def test_a_request_mailgun_refuses_fails_the_batch_with_its_reason(db, mailgun):
    mailgun.answer = (400, {"message": "'from' parameter is not a valid address. please check documentation"})
    audience(2)
    send = services.queue_send(published_newsletter(segments=[make_segment()]))

    sending_worker.work_on_send(send.pk)

    rows = list(Delivery.objects.filter(send=send).values_list("status", "error"))
    assert {status for status, _error in rows} == {"failed"}
    assert all("not a valid address" in error for _status, error in rows)
