"""Beat's round for the kept reach (insights.tasks.refresh_reach), run by a real worker process: after
a CRM change the worker derives the stale segments, so the board's next read finds them kept."""

import pytest

from insights import tallies
from insights.models import ReachTallyBasis
from newsletter.models import Send
from tests.insights.test_reach_tallies import MARKT, _an_owner_moves_to_a_cafe, reach
from tests.integration.test_worker import broker, send_as_beat, worker  # noqa: F401  (the worker process fixtures)
from tests.services import wait_for


def kept_shapes(send: Send) -> set[int]:
    return set(ReachTallyBasis.objects.filter(send=send).values_list("shape", flat=True))


def kept_as_the_data_is(send: Send) -> bool:
    """Whether every kept shape of `send` was derived from the data as it is now (read only: unlike
    a read, this derives nothing itself)."""
    return tallies.stale([send], kept_shapes(send))[0] == []


@pytest.mark.integration
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("broker", ["filesystem"], indirect=True)
def test_a_worker_running_beats_round_derives_what_a_crm_change_made_stale(
    broker,  # noqa: F811
    worker,  # noqa: F811
    centre,
    tmp_path,
):
    queue, _process = worker
    reach(centre, MARKT)
    send = Send.objects.get()
    assert ReachTallyBasis.objects.filter(send=send).count() >= 2
    _an_owner_moves_to_a_cafe(centre)
    assert not kept_as_the_data_is(send)

    send_as_beat(broker, queue, "insights-refresh-reach")
    assert wait_for(lambda: kept_as_the_data_is(send), timeout=60), (tmp_path / "worker.log").read_text()
    assert tallies.fresh([send], kept_shapes(send)) == []  # a read finds nothing left to derive
    assert reach(centre, MARKT)["sent"] == 5
    assert tallies.check() == []
