"""`check_mail_domain` asks a real DNS server (on loopback, answering recorded records) and says in
Dutch what a receiving mail server will miss."""

import socket
import threading
from io import StringIO

import dns.message
import dns.rcode
import dns.rdatatype
import dns.rrset
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

GOOD = {
    ("centrumveldhaven.nl.", "TXT"): ['"v=spf1 include:mailgun.org ~all"'],
    ("mg._domainkey.centrumveldhaven.nl.", "TXT"): ['"k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC1"'],
    ("_dmarc.centrumveldhaven.nl.", "TXT"): [
        '"v=DMARC1; p=quarantine; rua=mailto:dmarc@centrumveldhaven.nl"'
    ],
}


class RecordedDNS:
    """A DNS server on 127.0.0.1 answering from a dict of records; NXDOMAIN for any other name."""

    def __init__(self, records):
        self.records = records
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.socket.bind(("127.0.0.1", 0))
        self.socket.settimeout(0.2)
        self.address = f"127.0.0.1:{self.socket.getsockname()[1]}"
        self.running = True
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        while self.running:
            try:
                data, peer = self.socket.recvfrom(4096)
            except TimeoutError:
                continue
            query = dns.message.from_wire(data)
            response = dns.message.make_response(query)
            question = query.question[0]
            name, kind = question.name.to_text().lower(), dns.rdatatype.to_text(question.rdtype)
            answers = self.records.get((name, kind))
            if answers:
                response.answer.append(dns.rrset.from_text_list(name, 300, "IN", kind, answers))
            elif not any(known == name for known, _kind in self.records):
                response.set_rcode(dns.rcode.NXDOMAIN)
            self.socket.sendto(response.to_wire(), peer)

    def close(self):
        self.running = False
        self.thread.join()
        self.socket.close()


@pytest.fixture
def dns_server():
    servers = []

    def start(records):
        servers.append(RecordedDNS(records))
        return servers[-1].address

    yield start
    for server in servers:
        server.close()


def check(address, *args):
    out = StringIO()
    try:
        call_command(
            "check_mail_domain",
            *args,
            "--nameserver",
            address,
            "--selector",
            "mg",
            "--include",
            "mailgun.org",
            stdout=out,
        )
    except CommandError as error:
        return out.getvalue(), str(error)
    return out.getvalue(), ""


def test_a_domain_that_is_in_order_passes(dns_server):
    out, error = check(dns_server(GOOD), "centrumveldhaven.nl")
    assert error == ""
    assert "✓ SPF: SPF is in orde" in out
    assert "✓ DKIM (mg): DKIM-sleutel gevonden op mg._domainkey" in out
    assert "✓ DMARC: DMARC is in orde: beleid quarantine" in out


def test_missing_records_are_named_with_what_to_publish(dns_server):
    out, error = check(
        dns_server({("centrumveldhaven.nl.", "TXT"): ['"google-site-verification=abc"']}),
        "centrumveldhaven.nl",
    )
    assert "3 probleem" in error
    assert "✗ SPF: Geen SPF-record" in out
    assert "✗ DKIM (mg): Geen DKIM-sleutel op mg._domainkey" in out
    assert "✗ DMARC: Geen DMARC-record" in out


def test_weak_records_are_named(dns_server):
    records = {
        ("centrumveldhaven.nl.", "TXT"): ['"v=spf1 include:_spf.google.com +all"'],
        ("mg._domainkey.centrumveldhaven.nl.", "TXT"): ['"v=DKIM1; k=rsa; p="'],
        ("_dmarc.centrumveldhaven.nl.", "TXT"): ['"v=DMARC1; p=none"'],
    }
    out, error = check(dns_server(records), "centrumveldhaven.nl")
    assert (
        "✗ SPF: Het SPF-record bevat uw mailprovider niet (mailgun.org): voeg include:mailgun.org toe." in out
    )
    assert '! SPF: Het SPF-record eindigt op "+all"' in out
    assert "✗ DKIM (mg): De DKIM-sleutel op mg._domainkey is leeg" in out
    assert '! DMARC: Het DMARC-beleid is "none"' in out
    assert "2 probleem" in error


def test_the_default_domain_is_the_senders_and_bad_input_is_refused(dns_server, settings):
    settings.DEFAULT_FROM_EMAIL = "Centrum Veldhaven <nieuws@centrumveldhaven.nl>"
    out, error = check(dns_server(GOOD))
    assert "Afzenderdomein: centrumveldhaven.nl" in out and error == ""
    out, error = check(dns_server(GOOD), "localhost")
    assert error == "Geen domeinnaam: 'localhost'."


def test_check_deploy_reminds_of_the_dns_check_when_an_esp_sends(settings):
    from newsletter.checks import check_mail_domain_known

    settings.EMAIL_BACKEND = "anymail.backends.postmark.EmailBackend"
    settings.MAIL_DKIM_SELECTORS = []
    assert [message.id for message in check_mail_domain_known()] == ["newsletter.I001"]
    settings.MAIL_DKIM_SELECTORS = ["pm"]
    assert check_mail_domain_known() == []
