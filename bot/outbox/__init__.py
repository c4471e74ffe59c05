"""The outbox: every message the bot sends on its own goes through here.

- ``intents``: what to say to whom, queued in the same transaction as the change that
  causes it, under a unique (workspace, key): a replayed change queues nothing new.
- ``store``: the table's queries (claim, record, release, prune).
- ``sender``: claims due messages in batches, sends them through Slack and records what
  happened; ``dispatcher`` runs it in the background; ``pacing`` and ``lanes`` keep one
  busy or slow workspace from holding up the others, and every sender process to the
  workspace's one pace, kept in the database (``pace_store``).

The guarantee: each queued message is shown to its recipient **once**, and is never lost
while Slack refuses it for a while. What provides it:

1. the unique key, so one change queues one message per recipient;
2. the claim (``status = sending``, ``claimed_by`` = the sender's id), so two senders never
   take the same row; a sender that is gone has its claims released at the next start on
   the same host, or after a short lease anywhere else (see ``sender``);
3. the look-up before a resend: every post carries its key in the message ``metadata``.
   When an earlier try may have landed (no answer in time, a 5xx, a claim released after
   a crash, or a database lost before the outcome was written), the sender first reads
   the conversation's recent history (``conversations.history``) and, when it finds the
   key, records that message instead of posting again.

What remains: a message that landed but is no longer among the latest 200 of its DM when
it is looked for would be posted again; a card edit (``chat.update``) is simply repeated,
which is harmless.
"""
