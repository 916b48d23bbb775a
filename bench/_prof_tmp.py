from bench import common
common.setup_django(DEBUG="1", CONN_MAX_AGE="60")
import time, statistics
from django.db import connection
from insights.queries import Period, SegmentFilter
from insights.queries.support import support
from insights.queries.period import MONTH, YEAR
for seg in (SegmentFilter(), SegmentFilter(kind="ondernemer")):
    times=[]
    for _ in range(5):
        connection.force_debug_cursor = True; connection.queries_log.clear()
        t=time.perf_counter(); support(Period.of(YEAR), seg); times.append((time.perf_counter()-t)*1000)
        qs = sorted(connection.queries_log, key=lambda q: -float(q["time"]))
    print(seg, "support median", round(statistics.median(times)), "ms;", [round(float(q["time"])*1000) for q in qs])
