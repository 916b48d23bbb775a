"""The CRM in the Wagtail admin, one module per subject:

- ``menu``: the "Relaties" menu that every CRM screen adds itself to (hook "register_crm_menu_item"),
  and ``PermissionMenuItem`` for entries shown only to staff with one permission;
- ``records``: the view sets of organisations, people, premises, interests and segments
  (defined in ``crm.viewsets``);
- ``work``: logging a visit, My work and its panel on the admin's home page;
- ``search``: search and the stakeholder map;
- ``importing``: import and export;
- ``privacy``: the audit history, the AVG export and erasure, merging duplicates.

Wagtail imports this package at start-up; importing the modules registers their hooks. The order
below is the order of registration, which decides between menu entries of equal ``order``.
"""

# isort: off
from crm.wagtail_hooks import menu, work, records, importing, privacy, search  # noqa: F401
# isort: on
