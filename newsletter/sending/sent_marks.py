"""Marking sent messages on PostgreSQL without waiting for the answer.

Each message is marked sent right after the SMTP server or ESP accepted it, one UPDATE per message
(why, and what a killed worker costs: the package docstring, "the crash window"). Waiting for every
UPDATE's answer cost as much time as building the message itself. Here the UPDATE goes out on a
connection of its own (autocommit, synchronous_commit off) and the sender carries on with the next
message; the answer is read just before the next mark, when it has long arrived.

A mark that fails (a lost connection, an error) is done again on Django's connection, the way
every mark was done before; if that fails too the row stays "sending" and the reaper hands it back.
"""

from __future__ import annotations

import logging
import os
import threading

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.utils import timezone

logger = logging.getLogger(__name__)

STATEMENT = b"newsletter_mark_sent"


class SentMarks:
    """A connection of its own for "sent" marks; `mark` returns before PostgreSQL has answered."""

    def __init__(self):
        self.wrapper = None
        self.pid = None
        self.pending: tuple[int, str, str] | None = None
        self.written = 0  # marks sent on this connection (statements Django's query log misses)

    # --- the connection ---

    def _connect(self):
        from newsletter.models import Delivery

        if self.wrapper is not None and self.pid == os.getpid():
            return self.wrapper.connection.pgconn
        # A connection inherited through fork() belongs to the parent: never touch it.
        self.wrapper, self.pending = None, None
        wrapper = connections.create_connection(DEFAULT_DB_ALIAS)
        wrapper.ensure_connection()
        wrapper.set_autocommit(True)
        with wrapper.cursor() as cursor:
            # A killed worker loses no committed mark either way; only a crash of PostgreSQL
            # itself could lose the last fraction of a second of marks (those messages go again).
            cursor.execute("SET synchronous_commit TO OFF")
        table = wrapper.ops.quote_name(Delivery._meta.db_table)
        sql = (
            f"UPDATE {table} SET status = 'sent', sent_at = $2, esp_message_id = $3, error = '' "  # noqa: S608
            "WHERE id = $1 AND claimed_by = $4"
        )
        pgconn = wrapper.connection.pgconn
        result = pgconn.prepare(STATEMENT, sql.encode())
        if result.error_message:
            wrapper.close()
            raise DatabaseError(result.error_message.decode(errors="replace"))
        self.wrapper, self.pid = wrapper, os.getpid()
        return pgconn

    def close(self) -> None:
        if self.wrapper is not None and self.pid == os.getpid():
            try:
                self.wrapper.close()
            except DatabaseError:
                pass
        self.wrapper, self.pending = None, None

    # --- marking ---

    def mark(self, delivery_id: int, message_id: str, token: str) -> None:
        """Write the mark for one accepted message; its answer is read at the next mark or `wait`."""
        self.wait()
        values = (delivery_id, message_id, token)
        try:
            pgconn = self._connect()
            pgconn.send_query_prepared(
                STATEMENT,
                [
                    str(delivery_id).encode(),
                    timezone.now().isoformat().encode(),
                    message_id.encode(),
                    token.encode(),
                ],
            )
        except Exception:  # noqa: BLE001 (any failure: mark it the slow way)
            logger.warning("Sent mark for delivery %s not written on the mark connection", delivery_id)
            self.close()
            self._mark_again(*values)
            return
        self.pending = values
        self.written += 1

    def wait(self) -> None:
        """Read the answer to the last mark; redo it on Django's connection if it failed."""
        if self.pending is None:
            return
        values, self.pending = self.pending, None
        try:
            pgconn = self.wrapper.connection.pgconn
            errors, changed, answered = [], 0, False
            while (result := pgconn.get_result()) is not None:
                answered = True
                if result.error_message:
                    errors.append(result.error_message.decode(errors="replace"))
                else:
                    changed += result.command_tuples or 0
            if not answered:
                errors.append("no answer")
        except Exception as error:  # noqa: BLE001
            errors = [str(error)]
        if errors:
            logger.warning("Sent mark for delivery %s failed (%s); marking it again", values[0], errors[0])
            self.close()
            self._mark_again(*values)
        elif not changed:
            # The claim was handed back (a worker stalled past the claim timeout): the row is
            # someone else's now and will be sent again. Rare, and logged so it can be counted.
            logger.warning("Delivery %s was sent but its claim had been handed back", values[0])

    @staticmethod
    def _mark_again(delivery_id: int, message_id: str, token: str) -> None:
        try:
            mark_sent(delivery_id, message_id, token)
        except DatabaseError:
            logger.exception("Could not mark delivery %s sent; the reaper will hand it back", delivery_id)


def mark_sent(delivery_id: int, message_id: str, token: str) -> int:
    """The plain mark: one UPDATE on Django's connection, in the caller's transaction if any."""
    from newsletter.models import Delivery

    return Delivery.objects.filter(pk=delivery_id, claimed_by=token).update(
        status=Delivery.Status.SENT, sent_at=timezone.now(), esp_message_id=message_id, error=""
    )


class PlainMarks:
    """Marks that wait for their UPDATE: on SQLite, and inside a caller's transaction, whose
    uncommitted rows a connection of our own could not see."""

    written = 0  # its statements are in Django's query log

    def mark(self, delivery_id: int, message_id: str, token: str) -> None:
        mark_sent(delivery_id, message_id, token)

    def wait(self) -> None:
        pass


_local = threading.local()  # one mark connection per thread, as Django keeps its connections


def sent_marks() -> SentMarks | PlainMarks:
    """How this thread marks sent messages: on a connection of its own where it can."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return PlainMarks()
    marks = getattr(_local, "marks", None)
    if marks is None:
        marks = _local.marks = SentMarks()
    return marks
