"""Give a member (e.g. a demo member) a password, to try the portal as an entrepreneur."""

import secrets

from django.core.management.base import BaseCommand, CommandError

from portal.members.models import Membership


class Command(BaseCommand):
    help = "Set a new random password for a member's login and print it (without EMAIL: the first member)."

    def add_arguments(self, parser):
        parser.add_argument("email", nargs="?", help="The member's email address (their login name).")
        parser.add_argument(
            "--onboarded", action="store_true", help="Without EMAIL: pick a member who finished onboarding."
        )

    def handle(self, *args, email=None, onboarded=False, **options):
        memberships = Membership.objects.filter(closed_at__isnull=True).select_related("user", "organisation")
        if email:
            memberships = memberships.filter(user__username=email.strip().lower())
        elif onboarded:
            memberships = memberships.filter(onboarding_step=Membership.Step.DONE)
        membership = memberships.order_by("pk").first()
        if membership is None:
            raise CommandError("No such member.")
        password = secrets.token_urlsafe(12)
        membership.user.set_password(password)
        membership.user.is_active = True
        membership.user.save(update_fields=["password", "is_active"])
        self.stdout.write(
            f"{membership.organisation.name}: log in at /inloggen/ as {membership.user.username} "
            f"with password {password}"
        )
