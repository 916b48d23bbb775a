"""`manage.py check_mail_domain [DOMAIN]`: SPF, DKIM and DMARC of the sender domain, in Dutch."""

import dns.exception
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from newsletter.mail_domain import MISSING, OK, check_domain, make_resolver, sender_domain

MARKS = {OK: "✓", "weak": "!", MISSING: "✗"}


class Command(BaseCommand):
    help = "Look up the sender domain's SPF, DKIM and DMARC records and say what is missing or weak."

    def add_arguments(self, parser):
        parser.add_argument(
            "domain", nargs="?", help="default: the domain of DEFAULT_FROM_EMAIL (or MAIL_DOMAIN)"
        )
        parser.add_argument(
            "--selector",
            action="append",
            dest="selectors",
            help="DKIM selector (repeatable); default MAIL_DKIM_SELECTORS",
        )
        parser.add_argument(
            "--include",
            action="append",
            dest="includes",
            help="SPF include of your ESP (repeatable); default MAIL_SPF_INCLUDES",
        )
        parser.add_argument(
            "--nameserver", default="", help="ask this DNS server (ip or ip:port) instead of the system's"
        )

    def handle(self, *args, domain=None, selectors=None, includes=None, nameserver="", **options):
        domain = (domain or sender_domain()).strip().rstrip(".").lower()
        with translation.override(settings.LANGUAGE_CODE):
            if not domain or "." not in domain:
                raise CommandError(_("Not a domain name: %(domain)r.") % {"domain": domain})
            selectors = selectors or settings.MAIL_DKIM_SELECTORS
            includes = includes or settings.MAIL_SPF_INCLUDES
            try:
                findings = check_domain(
                    domain, resolver=make_resolver(nameserver), selectors=selectors, spf_includes=includes
                )
            except dns.exception.DNSException as error:
                raise CommandError(_("DNS lookup failed: %(error)s") % {"error": error}) from error
            self.stdout.write(_("Sender domain: %(domain)s") % {"domain": domain})
            for finding in findings:
                self.stdout.write(f"{MARKS[finding.status]} {finding.record}: {finding.message}")
            if not selectors:
                self.stdout.write(
                    _(
                        "! DKIM: no selector given; set MAIL_DKIM_SELECTORS to the selector(s) of your mail provider."  # noqa: E501
                    )
                )
            missing = [finding for finding in findings if finding.status == MISSING]
            if missing:
                raise CommandError(
                    _("%(count)d problem(s): receivers will reject or spam-folder this mail.")
                    % {"count": len(missing)}
                )
