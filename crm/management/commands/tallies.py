"""`manage.py tallies --check | --rebuild`: the contact counts behind the board's dashboard.

crm.tallies keeps them exact on every write; --check derives them again from the contacts and
lists any difference (exit status 1), --rebuild derives them all in one transaction. For operators
after restoring a backup of only some tables or writing to the database by hand.
"""

from django.core.management.base import BaseCommand, CommandError

from crm import tallies


class Command(BaseCommand):
    help = "Check or rebuild the contact tallies and spans the dashboard reads."

    def add_arguments(self, parser):
        action = parser.add_mutually_exclusive_group(required=True)
        action.add_argument(
            "--check", action="store_true", help="compare with the contacts; exit 1 on a difference"
        )
        action.add_argument(
            "--rebuild", action="store_true", help="derive everything again from the contacts"
        )

    def handle(self, *args, check, rebuild, **options):
        if rebuild:
            kept = tallies.rebuild()
            self.stdout.write(f"Rebuilt: {kept['tallies']} tally rows, {kept['spans']} spans.")
            return
        problems = tallies.check()
        for problem in problems[:50]:
            self.stdout.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} differences between the tallies and the contacts.")
        self.stdout.write("The tallies match the contacts.")
