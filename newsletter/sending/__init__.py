"""The sending engine: how a queued newsletter reaches every recipient once, and survives crashes.

The modules, in the order a message meets them:

- `claims`: a worker claims a batch of deliveries; beat hands back the claims of stopped workers.
- `consent`: consent and suppressions are checked again just before a batch is sent.
- `prepared`: the send's approved revision, rendered once per send and worker process.
- `mail`: one recipient's message (personal links, one-click unsubscribe headers, ESP metadata).
- `rate`: the shared rate limit and the batch size that goes with it.
- `worker`: sends a claimed batch over one connection (or in one ESP call) and records each message.
- `errors`: what an error from the email backend means: retry one, retry the rest later, or fail.
- `sent_marks`: the "sent" mark of each accepted message, written without waiting for its answer.

The actions that start and steer a send (queue, pause, resume, cancel) are in newsletter.services;
the tasks that run this engine, and hand sends to it, in newsletter.tasks.

How a send survives crashes (the crash window):

- Queuing resolves the audience once into one Delivery row per address, in one transaction.
- A worker claims a batch of rows in the database (queued → sending, with its claim token and the
  time), under `SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL; on SQLite the claim transaction is
  IMMEDIATE (see settings), which serialises claims. Two workers never hold the same row.
- Each message is marked sent right after the ESP (or SMTP server) accepted it, one small UPDATE
  per message, written on a connection of its own without waiting for its answer (`sent_marks`). Once
  that UPDATE is in PostgreSQL's socket it commits even if the worker dies, as it would have when
  the worker was killed while waiting for the answer (tests/integration/test_sent_marks.py kills a
  process right after a mark and finds it committed).
- So the duplicate window is the time between the server's "250 OK" and that write: a worker
  killed there leaves that one row in `sending`; the reaper hands it back and it is sent again. At
  most one message per killed worker (per batch call with an ESP batch API). Rows a killed worker
  had claimed but not sent yet are handed back too, so nothing is lost.
- Beat (`newsletter.tasks.dispatch_due_work`, every few seconds) reaps claims older than
  NEWSLETTER_CLAIM_TIMEOUT, starts due scheduled sends and restarts sends no worker is working on.
  Nothing waits in the broker with a countdown: the database is the schedule.
"""
