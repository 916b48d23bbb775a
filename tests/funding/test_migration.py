"""The old crm Organisation.yearly_contribution moves into the ledger, and back when reversed."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("crm", "0008_interaction_kind_report"), ("funding", "0001_ledger_and_ballots")]
AFTER = [("crm", "0009_remove_yearly_contribution"), ("funding", "0002_contributions_from_crm")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_every_yearly_contribution_becomes_a_ledger_line_and_comes_back_on_reverse():
    apps = migrate(BEFORE)
    Organisation = apps.get_model("crm", "Organisation")
    biz = Organisation.objects.create(
        name="Bakkerij De Korenschoof", fund_status="biz", yearly_contribution=Decimal("450.00")
    )
    voluntary = Organisation.objects.create(
        name="Café Één", fund_status="vrijwillig", yearly_contribution=Decimal("250.50")
    )
    odd = Organisation.objects.create(
        name="Atelier Zonder Status", fund_status="geen", yearly_contribution=Decimal("75")
    )
    Organisation.objects.create(name="Boekhandel Nul", fund_status="biz", yearly_contribution=None)

    apps = migrate(AFTER)
    Contribution = apps.get_model("funding", "Contribution")
    lines = {line.organisation_id: line for line in Contribution.objects.all()}
    year = timezone.localdate().year
    assert set(lines) == {biz.pk, voluntary.pk, odd.pk}  # the empty one gets no line
    assert (lines[biz.pk].kind, lines[biz.pk].amount, lines[biz.pk].year) == ("biz", Decimal("450.00"), year)
    assert (lines[voluntary.pk].kind, lines[voluntary.pk].amount) == ("vrijwillig", Decimal("250.50"))
    assert (lines[odd.pk].kind, lines[odd.pk].amount) == ("overig", Decimal("75.00"))
    assert all(line.paid_on is None and line.paid_amount is None for line in lines.values())
    assert "yearly_contribution" not in {
        f.name for f in apps.get_model("crm", "Organisation")._meta.get_fields()
    }

    apps = migrate(BEFORE)
    Organisation = apps.get_model("crm", "Organisation")
    restored = dict(Organisation.objects.values_list("name", "yearly_contribution"))
    assert restored == {
        "Bakkerij De Korenschoof": Decimal("450.00"),
        "Café Één": Decimal("250.50"),
        "Atelier Zonder Status": Decimal("75.00"),
        "Boekhandel Nul": None,
    }
    assert not apps.get_model("funding", "Contribution").objects.exists()

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
