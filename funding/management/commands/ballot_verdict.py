"""`manage.py ballot_verdict`: the verdict of a BIZ ballot from its totals, for quick what-ifs.

Prints each condition of the Wet BIZ with its figures and whether it holds, and last
`draagvlak: ja` or `draagvlak: nee`. Figures that cannot be a ballot's (more votes than entitled,
negative numbers) are refused with the reason and exit code 2.
"""

import re
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from funding.verdict import BallotError, Tally, verdict


def _count(value: str) -> int:
    # argparse's type=int would refuse "-3" as an unknown option before we could explain it.
    try:
        return int(value.replace(".", "").replace("_", ""))
    except ValueError:
        raise CommandError(f"“{value}” is geen geheel getal.", returncode=2) from None


class Command(BaseCommand):
    help = "The verdict of a BIZ support ballot from its totals (Wet BIZ art. 5, eerste lid)."

    def add_arguments(self, parser):
        parser.add_argument("--entitled", required=True, help="parties entitled to vote")
        parser.add_argument("--for", dest="votes_for", required=True, help="votes in favour")
        parser.add_argument("--against", dest="votes_against", required=True, help="votes against")
        parser.add_argument("--blank", dest="votes_blank", default="0", help="blank votes")
        parser.add_argument("--invalid", dest="votes_invalid", default="0", help="invalid votes")
        parser.add_argument(
            "--woz-for", dest="woz_for", required=True, help="WOZ value of those in favour (EUR)"
        )
        parser.add_argument(
            "--woz-against", dest="woz_against", required=True, help="WOZ value of those against (EUR)"
        )

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        # "--for -3" must reach us as a value, so that the refusal names the negative number.
        parser._negative_number_matcher = re.compile(r"^-\d+$|^-\d*\.\d+$")
        return parser

    def handle(self, *args, **options):
        translation.activate("nl")
        tally = Tally(
            **{
                key: _count(options[key])
                for key in (
                    "entitled",
                    "votes_for",
                    "votes_against",
                    "votes_blank",
                    "votes_invalid",
                    "woz_for",
                    "woz_against",
                )
            }
        )
        try:
            result = verdict(tally)
        except BallotError as error:
            for reason in error.reasons:
                self.stderr.write(reason)
            sys.exit(2)
        for condition in result.conditions:
            mark = "ja" if condition.holds else "nee"
            self.stdout.write(f"{condition.paragraph}. {condition.label}: {mark}")
            self.stdout.write(f"   {condition.figures}  ({condition.citation})")
        self.stdout.write(f"draagvlak: {'ja' if result.support else 'nee'}")
