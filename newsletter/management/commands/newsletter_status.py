"""Print the progress of a newsletter's sends: `manage.py newsletter_status SLUG`."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from newsletter.models import NewsletterPage
from newsletter.queries.sending import progress


class Command(BaseCommand):
    help = "Print each send of a newsletter with its status and how many messages are queued, sent, failed."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the newsletter page's slug")

    def handle(self, *args, slug, **options):
        page = NewsletterPage.objects.filter(slug=slug).first()
        if page is None:
            raise CommandError(f"No newsletter with slug {slug!r}.")
        sends = list(page.sends.order_by("created_at"))
        if not sends:
            self.stdout.write("Not sent yet.")
            return
        for send in sends:
            counts = progress(send)
            when = timezone.localtime(send.created_at).strftime("%Y-%m-%d %H:%M")
            self.stdout.write(
                f"Send {send.pk} ({when}): {send.status}; {counts['total']} messages: "
                f"{counts['queued']} queued, {counts['sending']} sending, {counts['sent']} sent, "
                f"{counts['failed']} failed, {counts['skipped']} skipped, {counts['cancelled']} cancelled"
            )
