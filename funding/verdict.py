"""The verdict of a BIZ support ballot (draagvlakmeting), as the law sets it.

Wet op de bedrijveninvesteringszones (Wet BIZ), artikel 5, eerste lid: a levy ordinance takes
effect only when the ballot shows enough support, which is when all three hold:
  a. turnout: at least half of those entitled (the bijdrageplichtigen) took part in the ballot;
  b. at least two thirds of the votes cast are in favour;
  c. the joint WOZ value of the property of those in favour is greater than that of those against.
(The bill, Kamerstukken II 33 917, puts these conditions in artikel 5, eerste lid, onderdelen a–c;
artikel 6 is about ending a BIZ early, and its vierde lid applies artikel 5 to that vote as well.
Artikel 5, derde lid, adds that where both owners and users pay, each group is counted on its own:
register such a ballot as two ballots, one per group.)

How blank and invalid votes count (the law speaks of taking part and of votes "for" and
"against"; the municipalities' ballot rules, reglementen draagvlakmeting, fill in the rest):
- A blank vote is a ballot returned without a choice: the party took part, so it counts for the
  turnout (a), but it is neither for nor against, so it is left out of the two-thirds (b) and of
  the WOZ comparison (c).
- An invalid vote is no valid participation: it counts for none of the three conditions.
These two rules live in `Tally.turnout` and `Tally.cast_for_or_against` and nowhere else.

All arithmetic is on whole numbers (two thirds is `3 × for ≥ 2 × (for + against)`), so a result
exactly at a threshold is never lost to rounding. Each condition's figures go to the screen and
to `manage.py ballot_verdict`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _

LAW = "Wet op de bedrijveninvesteringszones, art. 5, eerste lid"


class BallotError(ValueError):
    """Figures that cannot be a ballot's; `reasons` lists every problem, in words for the user."""

    def __init__(self, reasons: list[str]):
        self.reasons = reasons
        super().__init__(" ".join(reasons))


@dataclass(frozen=True)
class Tally:
    entitled: int
    votes_for: int
    votes_against: int
    votes_blank: int = 0
    votes_invalid: int = 0
    woz_for: int = 0
    woz_against: int = 0

    @property
    def returned(self) -> int:
        """Every ballot returned, valid or not."""
        return self.votes_for + self.votes_against + self.votes_blank + self.votes_invalid

    @property
    def turnout(self) -> int:
        """Those who took part, for condition a: for, against and blank; invalid votes do not count."""
        return self.votes_for + self.votes_against + self.votes_blank

    @property
    def cast_for_or_against(self) -> int:
        """The votes of condition b: only for and against."""
        return self.votes_for + self.votes_against

    def problems(self) -> list[str]:
        """Why these figures cannot be a ballot's (empty when they can)."""
        reasons = []
        names = {
            "entitled": _("entitled"),
            "votes_for": _("votes for"),
            "votes_against": _("votes against"),
            "votes_blank": _("blank votes"),
            "votes_invalid": _("invalid votes"),
            "woz_for": _("WOZ value for"),
            "woz_against": _("WOZ value against"),
        }
        for attribute, label in names.items():
            value = getattr(self, attribute)
            if value is None:
                reasons.append(_("The number “%(what)s” is missing.") % {"what": label})
            elif value < 0:
                reasons.append(
                    _("“%(what)s” is negative (%(value)s); a count or value cannot be.")
                    % {"what": label, "value": value}
                )
        if reasons:
            return reasons
        if self.entitled == 0:
            reasons.append(_("No one is entitled to vote; a ballot needs at least one entitled party."))
        if self.returned > self.entitled:
            reasons.append(
                _(
                    "More votes (%(votes)s: for, against, blank and invalid together) than parties "
                    "entitled to vote (%(entitled)s)."
                )
                % {"votes": self.returned, "entitled": self.entitled}
            )
        if self.woz_for and not self.votes_for:
            reasons.append(_("There is a WOZ value for those in favour, but no votes in favour."))
        if self.woz_against and not self.votes_against:
            reasons.append(_("There is a WOZ value for those against, but no votes against."))
        return reasons

    def check(self) -> None:
        reasons = self.problems()
        if reasons:
            raise BallotError(reasons)


@dataclass(frozen=True)
class Condition:
    key: str  # "turnout", "two_thirds", "woz"
    paragraph: str  # the law's onderdeel: "a", "b", "c"
    label: str
    figures: str
    holds: bool

    @property
    def citation(self) -> str:
        return f"{LAW}, onderdeel {self.paragraph}"


@dataclass(frozen=True)
class Verdict:
    tally: Tally
    conditions: list[Condition]

    @property
    def support(self) -> bool:
        return all(condition.holds for condition in self.conditions)


def _percent(part: int, whole: int) -> str:
    if not whole:
        return "–"
    # Rounded, not cut off: two of three is 66,7 %, never the 66,6 % that looks like too few.
    return f"{number_format(round(100 * part / whole, 1), 1)} %"


def _euro(value: int) -> str:
    return f"€ {number_format(value, 0, force_grouping=True)}"


def verdict(tally: Tally) -> Verdict:
    """The three conditions with their figures; raises BallotError for figures that cannot be."""
    tally.check()
    turnout = Condition(
        key="turnout",
        paragraph="a",
        label=_("Turnout: at least half of those entitled took part"),
        figures=_(
            "%(turnout)s of %(entitled)s took part (%(percent)s; for, against and blank; "
            "%(invalid)s invalid not counted); needed: %(needed)s"
        )
        % {
            "turnout": tally.turnout,
            "entitled": tally.entitled,
            "percent": _percent(tally.turnout, tally.entitled),
            "invalid": tally.votes_invalid,
            "needed": (tally.entitled + 1) // 2,
        },
        holds=2 * tally.turnout >= tally.entitled,
    )
    cast = tally.cast_for_or_against
    two_thirds = Condition(
        key="two_thirds",
        paragraph="b",
        label=_("At least two thirds of the votes cast are in favour"),
        figures=_("%(for)s of %(cast)s votes for or against are in favour (%(percent)s); needed: %(needed)s")
        % {
            "for": tally.votes_for,
            "cast": cast,
            "percent": _percent(tally.votes_for, cast),
            "needed": (2 * cast + 2) // 3 if cast else 1,
        },
        # No votes for or against: nobody is in favour, so there is no two-thirds majority.
        holds=cast > 0 and 3 * tally.votes_for >= 2 * cast,
    )
    woz = Condition(
        key="woz",
        paragraph="c",
        label=_("The WOZ value of those in favour is greater than that of those against"),
        figures=_("in favour %(for)s, against %(against)s")
        % {"for": _euro(tally.woz_for), "against": _euro(tally.woz_against)},
        holds=tally.woz_for > tally.woz_against,
    )
    return Verdict(tally=tally, conditions=[turnout, two_thirds, woz])
