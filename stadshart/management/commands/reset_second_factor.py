from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from stadshart.mfa import services


class Command(BaseCommand):
    help = (
        "Remove a staff member's second factor and end their sessions (audited); their next login "
        "sets up a new one. For when the only Beheerder lost both phone and recovery codes."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        removed = services.reset_second_factor(user=user, by=None)
        self.stdout.write(f"Second factor of {username} removed ({removed} devices); next login sets one up.")
