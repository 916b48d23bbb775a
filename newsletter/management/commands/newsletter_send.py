"""Queue an approved newsletter from the command line: `newsletter_send SLUG [--dry-run] [--at ISO]`."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from newsletter import services
from newsletter.models import NewsletterPage
from newsletter.queries.audience import audience_summary
from newsletter.review import approved_revision


class Command(BaseCommand):
    help = "Queue an approved newsletter for its audience (now or at --at) and print the audience count."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the newsletter page's slug")
        parser.add_argument("--dry-run", action="store_true", help="only print the audience; queue nothing")
        parser.add_argument("--at", help="send at this time, e.g. 2026-12-01T09:00 (local time)")

    def handle(self, *args, slug, dry_run, at, **options):
        page = NewsletterPage.objects.filter(slug=slug).first()
        if page is None:
            raise CommandError(f"No newsletter with slug {slug!r}.")
        when = None
        if at:
            when = parse_datetime(at)
            if when is None:
                raise CommandError(f"--at {at!r} is not a date and time like 2026-12-01T09:00.")
            if timezone.is_naive(when):
                when = timezone.make_aware(when)
        revision = approved_revision(page)
        if revision is None:
            raise CommandError("This newsletter has no approved version; nothing was queued.")
        summary = audience_summary(revision.as_object(), sample=0)
        self.stdout.write(f"Audience: {summary['count']} recipients")
        if dry_run:
            self.stdout.write("Dry run: nothing was queued.")
            return
        try:
            send = services.queue_send(page, at=when)
        except services.SendRefused as refused:
            raise CommandError(" ".join(refused.messages)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Send {send.pk} {send.get_status_display().lower()}: "
                f"{send.deliveries.count()} messages"
                + (
                    f", at {timezone.localtime(send.scheduled_at):%Y-%m-%d %H:%M}"
                    if send.scheduled_at
                    else ""
                )
            )
        )
