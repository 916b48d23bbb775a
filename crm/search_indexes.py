"""The trigram indexes of the CRM search (PostgreSQL), and loading many rows into them at once.

They take each new row at once (no GIN pending list, migration 0017), because a search reads them
with forty-odd patterns and each pattern would read the whole pending list too. A bulk load of tens
of thousands of rows is the exception: there the pending list, merged once at the end, is cheaper
than merging row by row (seed_demo --scale 100: the CRM's part 142 s row by row).
"""

from contextlib import contextmanager

from django.db import connection

INDEXES = (
    "crm_organisation_search_trgm",
    "crm_person_search_trgm",
    "crm_premises_search_trgm",
    "crm_organisation_name_trgm",
)


@contextmanager
def bulk_load():
    """Inside a transaction: collect new rows in the pending lists, merge them when done.

    The ALTERs take part in the transaction: a load that fails leaves the indexes as they were.
    """
    if connection.vendor != "postgresql":
        yield
        return
    if not connection.in_atomic_block:
        raise RuntimeError("bulk_load() belongs inside the load's transaction")
    with connection.cursor() as cursor:
        for index in INDEXES:
            cursor.execute(f"ALTER INDEX IF EXISTS {index} SET (fastupdate = on)")
    yield
    with connection.cursor() as cursor:
        for index in INDEXES:
            cursor.execute(f"ALTER INDEX IF EXISTS {index} SET (fastupdate = off)")
            cursor.execute(
                "SELECT gin_clean_pending_list(%s::regclass) WHERE to_regclass(%s) IS NOT NULL",
                [index, index],
            )
