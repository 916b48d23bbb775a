"""Does the sender domain pass the receivers' checks? SPF, DKIM and DMARC read from DNS.

Gmail and Yahoo accept bulk mail only from a domain with SPF and DKIM that pass, and a DMARC
record. The ESP signs (DKIM) and sends (SPF); the operator has to publish the records. This module
looks them up and says, in the users' words, what is missing or weak; `manage.py check_mail_domain`
prints it.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.utils import parseaddr

import dns.exception
import dns.resolver
from django.conf import settings
from django.utils.translation import gettext as _

OK, WEAK, MISSING = "ok", "weak", "missing"


@dataclass(frozen=True)
class Finding:
    record: str  # "SPF", "DKIM (selector)", "DMARC"
    status: str  # OK, WEAK or MISSING
    message: str


def sender_domain() -> str:
    """The domain newsletters come from, by default that of DEFAULT_FROM_EMAIL."""
    configured = getattr(settings, "MAIL_DOMAIN", "")
    if configured:
        return configured
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2]


def make_resolver(nameserver: str = "") -> dns.resolver.Resolver:
    """The system's resolver, or one asking only `nameserver` ("ip" or "ip:port")."""
    if not nameserver:
        return dns.resolver.Resolver()
    resolver = dns.resolver.Resolver(configure=False)
    host, _sep, port = nameserver.rpartition(":") if nameserver.count(":") == 1 else (nameserver, "", "")
    resolver.nameservers = [host]
    if port:
        resolver.port = int(port)
    resolver.lifetime = 5.0
    return resolver


def txt_records(resolver, name: str) -> list[str]:
    """Every TXT string at `name` (its chunks joined); none when the name does not exist."""
    try:
        answer = resolver.resolve(name, "TXT")
    except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
        return []
    return [b"".join(record.strings).decode("utf-8", "replace") for record in answer]


def check_domain(domain: str, *, resolver, selectors: list[str], spf_includes: list[str]) -> list[Finding]:
    """What a receiving mail server will think of `domain`: one finding per record."""
    findings = check_spf(domain, txt_records(resolver, domain), spf_includes)
    for selector in selectors:
        findings.append(check_dkim(selector, txt_records(resolver, f"{selector}._domainkey.{domain}")))
    findings.append(check_dmarc(txt_records(resolver, f"_dmarc.{domain}")))
    return findings


def check_spf(domain: str, records: list[str], includes: list[str]) -> list[Finding]:
    spf = [record for record in records if record.lower().startswith("v=spf1")]
    if not spf:
        return [
            Finding(
                "SPF",
                MISSING,
                _(
                    'No SPF record: publish a TXT record "v=spf1 include:… ~all" at %(domain)s with your mail provider\'s include.'  # noqa: E501
                )
                % {"domain": domain},
            )
        ]
    if len(spf) > 1:
        return [
            Finding(
                "SPF",
                MISSING,
                _(
                    "%(count)d SPF records at %(domain)s: receivers then reject all of them; merge them into one."  # noqa: E501
                )
                % {"count": len(spf), "domain": domain},
            )
        ]
    terms = spf[0].lower().split()
    findings = []
    absent = [include for include in includes if f"include:{include.lower()}" not in terms]
    if absent:
        findings.append(
            Finding(
                "SPF",
                MISSING,
                _("The SPF record does not include your mail provider (%(includes)s): add include:%(first)s.")
                % {"includes": ", ".join(absent), "first": absent[0]},
            )
        )
    if terms[-1] in ("+all", "all", "?all"):
        findings.append(
            Finding(
                "SPF",
                WEAK,
                _(
                    'The SPF record ends in "%(end)s", which lets anyone send as you: end it with "~all" or "-all".'  # noqa: E501
                )
                % {"end": terms[-1]},
            )
        )
    return findings or [Finding("SPF", OK, _("SPF is in order: %(record)s") % {"record": spf[0]})]


def check_dkim(selector: str, records: list[str]) -> Finding:
    record = f"DKIM ({selector})"
    keys = [text for text in records if "p=" in text.replace(" ", "")]
    if not keys:
        return Finding(
            record,
            MISSING,
            _("No DKIM key at %(name)s: publish the key your mail provider gives you (or its CNAME).")
            % {"name": f"{selector}._domainkey"},
        )
    tags = dict(part.strip().split("=", 1) for part in keys[0].split(";") if "=" in part)
    if not tags.get("p", "").strip():
        return Finding(
            record,
            MISSING,
            _("The DKIM key at %(name)s is empty (revoked): publish the current key.")
            % {"name": f"{selector}._domainkey"},
        )
    return Finding(record, OK, _("DKIM key found at %(name)s.") % {"name": f"{selector}._domainkey"})


def check_dmarc(records: list[str]) -> Finding:
    dmarc = [record for record in records if record.replace(" ", "").lower().startswith("v=dmarc1")]
    if not dmarc:
        return Finding(
            "DMARC",
            MISSING,
            _(
                'No DMARC record: publish a TXT record "v=DMARC1; p=none; rua=mailto:…" at _dmarc; Gmail and Yahoo require one for bulk mail.'  # noqa: E501
            ),
        )
    tags = {
        key.strip().lower(): value.strip().lower()
        for key, _sep, value in (part.partition("=") for part in dmarc[0].split(";"))
    }
    policy = tags.get("p", "")
    if policy not in ("none", "quarantine", "reject"):
        return Finding(
            "DMARC", MISSING, _("The DMARC record has no valid policy (p=none, quarantine or reject).")
        )
    if policy == "none":
        return Finding(
            "DMARC",
            WEAK,
            _(
                'DMARC policy is "none": enough for Gmail and Yahoo, but others may still send as you. Move to p=quarantine once the reports (rua) show only your own mail.'  # noqa: E501
            ),
        )
    return Finding("DMARC", OK, _("DMARC is in order: policy %(policy)s.") % {"policy": policy})
