"""Beat's round for the kept reach (insights.tasks.refresh_reach), run by a real worker process: after
a CRM change the worker derives the stale segments, so the board's next read finds them kept."""

import pytest

from insights import tallies
from insights.models import ReachTallyBasis
from newsletter.models import Send
from stadshart.celery import app
from tests.insights.test_reach_tallies import MARKT, _an_owner_moves_to_a_cafe, reach
from tests.integration.test_worker import broker, worker  # noqa: F401  (the worker process fixtures)
from tests.services import wait_for


def kept_as_the_data_is(send: Send) -> bool:
    """Whether every kept shape of `send` was derived from the data as it is now (read only: unlike
    a read, this derives nothing itself)."""
    shapes = set(ReachTallyBasis.objects.filter(send=send).values_list("shape", flat=True))
    return tallies.stale([send], shapes)[0] == []


@pytest.mark.integration
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("broker", ["filesystem"], indirect=True)
def test_a_worker_running_beats_round_derives_what_a_crm_change_made_stale(
    broker,  # noqa: F811
    worker,  # noqa: F811
    centre,
    settings,
    tmp_path,
):
    url, options, _ = broker
    queue, _process = worker
    reach(centre, MARKT)
    send = Send.objects.get()
    assert ReachTallyBasis.objects.filter(send=send).count() >= 2
    _an_owner_moves_to_a_cafe(centre)
    assert not kept_as_the_data_is(send)

    entry = settings.CELERY_BEAT_SCHEDULE["insights-refresh-reach"]
    with app.connection_for_write(url, transport_options=options) as connection:
        app.send_task(entry["task"], queue=queue, connection=connection, **entry["options"])
    assert wait_for(lambda: kept_as_the_data_is(send), timeout=60), (tmp_path / "worker.log").read_text()
    assert (
        tallies.fresh([send], set(ReachTallyBasis.objects.filter(send=send).values_list("shape", flat=True)))
        == []
    )
    assert reach(centre, MARKT)["sent"] == 5
    assert tallies.check() == []
