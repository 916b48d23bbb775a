"""Every role's home page: the admin dashboard's panels, each saying what that role acts on first.

Which role sees which panel is in ROLE_PANELS, the one place to change it. A panel reads through the
owning app's queries in a fixed number of queries, and renders nothing when it has nothing to say
(so no empty "My work" for the Beheerder). The board's panel (five headline figures) is the board
dashboard's own (insights, registered separately).
"""

from stadshart import roles

WORK = "work"
COMMUNICATION = "communication"
REPORTS = "reports"
HEALTH = "health"

ROLE_PANELS: dict[str, tuple[str, ...]] = {
    roles.BEHEERDER: (HEALTH,),
    # The centre manager signs off communication and handles reports when there is no Facilitair.
    roles.CENTRUMMANAGER: (COMMUNICATION, REPORTS),
    roles.ACCOUNTMANAGER: (WORK,),
    roles.COMMUNICATIE: (COMMUNICATION,),
    roles.FACILITAIR: (REPORTS,),
    roles.BESTUUR: (),
}


def user_roles(user) -> set[str]:
    """The staff roles of `user` (one query); a superuser counts as Beheerder."""
    names = set(user.groups.values_list("name", flat=True))
    if user.is_superuser:
        names.add(roles.BEHEERDER)
    return names


def panel_names(user) -> list[str]:
    """The panels of `user`'s roles, in the order of ROLE_PANELS, each once. Anyone with follow-ups
    assigned sees "My work" (the panel hides itself when there are none)."""
    mine = user_roles(user)
    names = [WORK]
    for role, panels in ROLE_PANELS.items():
        if role in mine:
            names += [name for name in panels if name not in names]
    return names
