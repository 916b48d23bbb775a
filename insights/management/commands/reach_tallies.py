"""`manage.py reach_tallies --check | --rebuild`: the reach per send and segment the dashboard keeps.

insights.tallies checks every send's inputs before each read and derives again what changed, so
nothing here is needed in daily use. --check compares the kept rows that a read would take as they
are with the raw rows (exit status 1 on a difference); --rebuild derives every finished send again.
For operators after restoring a backup of only some tables or writing to the database by hand.
"""

from django.core.management.base import BaseCommand, CommandError

from insights import tallies


class Command(BaseCommand):
    help = "Check or rebuild the reach per newsletter and segment the dashboard reads."

    def add_arguments(self, parser):
        action = parser.add_mutually_exclusive_group(required=True)
        action.add_argument(
            "--check",
            action="store_true",
            help="compare with the messages and events; exit 1 if any differs",
        )
        action.add_argument("--rebuild", action="store_true", help="derive every finished send again")

    def handle(self, *args, check, rebuild, **options):
        if rebuild:
            sends = tallies.rebuild()
            self.stdout.write(f"Rebuilt the reach of {sends} newsletters.")
            return
        problems = tallies.check()
        for problem in problems[:50]:
            self.stdout.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} differences between the kept reach and the messages.")
        self.stdout.write("The kept reach is exact.")
