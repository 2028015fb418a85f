"""The tamper-evident audit chain.

Every audit row carries ``content_mac``, the platform's keyed hash (HMAC-SHA-256) of what it says, written with the
row. Once the row is committed the sealer gives it the next position in the chain (``seq``) and ``chain_mac``, the
keyed hash of the previous row's ``chain_mac``, its own ``content_mac`` and its position. The key
(``settings.AUDIT_CHAIN_KEY``) never lives in the database, so whoever edits the database cannot forge a seal:

- an edited row no longer matches its ``content_mac``;
- a row inserted beside the platform has no valid seal;
- a deleted row leaves a gap in the positions (or, at the chain's end, falls behind a published checkpoint);
- rows swapped or renumbered break the link of the first of them.

Rows are chained in the order they are sealed, after commit, so concurrent transactions never wait for one another
to write their audit rows: the sealer runs after each commit that wrote some, and a periodic task catches any left.
"""

import datetime
import hashlib
import hmac
import json
from dataclasses import dataclass, field

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction

GENESIS = "0" * 64
# The advisory lock that lets one sealer at a time extend the chain on PostgreSQL.
SEAL_LOCK = 7_204_311
CONTENT_FIELDS = (
    "created_at",
    "actor_id",
    "actor_name",
    "organisation_id",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "before",
    "after",
    "reason",
)


def _key() -> bytes:
    return settings.AUDIT_CHAIN_KEY.encode()


def _canonical_json(value) -> object:
    """A JSON value as the database gives it back (Decimals and dates as strings), so the hash is stable."""
    return None if value is None else json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def content_text(values: dict) -> str:
    """The canonical text an audit row's content seal covers."""
    created_at = values["created_at"]
    document = {
        **{name: values[name] for name in CONTENT_FIELDS},
        "created_at": created_at.astimezone(datetime.UTC).isoformat(timespec="microseconds"),
        "object_id": str(values["object_id"]),
        "before": _canonical_json(values["before"]),
        "after": _canonical_json(values["after"]),
    }
    return json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def content_mac(entry) -> str:
    """The content seal of an audit row (an instance or a plain object with its columns)."""
    return _mac(content_text({name: getattr(entry, name) for name in CONTENT_FIELDS}))


def chain_mac(previous: str, content: str, seq: int) -> str:
    return _mac(f"{previous}:{content}:{seq}")


def _mac(text: str) -> str:
    return hmac.new(_key(), text.encode(), hashlib.sha256).hexdigest()


def schedule_seal() -> None:
    """Seal the rows this transaction writes once it commits (one sealing per transaction)."""
    conn = transaction.get_connection()
    if any(callback is _seal_after_commit for _, callback, _ in conn.run_on_commit):
        return
    transaction.on_commit(_seal_after_commit)


def _seal_after_commit() -> None:
    if settings.CELERY_TASK_ALWAYS_EAGER:  # embedded mode: the task would run here anyway, through Celery's tracer
        seal()
        return
    from .tasks import seal_audit_chain

    seal_audit_chain.delay()


def head() -> tuple[int, str]:
    """The last sealed position and its chain seal (0 and the genesis value for an empty chain)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT seq, chain_mac FROM {_table()} WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1")
        last = cursor.fetchone()
    return tuple(last) if last else (0, GENESIS)


def _table() -> str:
    from .models import AuditEntry

    return connection.ops.quote_name(AuditEntry._meta.db_table)


def seal(*, batch: int = 5000) -> int:
    """Give every committed unsealed row its chain position and seal; returns how many were sealed. When another
    sealer holds the chain (PostgreSQL), returns 0 at once: it will take these rows too, or the periodic task will.

    The chain lock is a session lock tried outside any transaction, so a sealer that finds it taken (the usual case
    in a burst of bids) costs one statement; SQLite serialises writers anyway."""
    if connection.vendor != "postgresql":
        return _seal_all(batch)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [SEAL_LOCK])
        if not cursor.fetchone()[0]:
            return 0
    try:
        return _seal_all(batch)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [SEAL_LOCK])


def _seal_all(batch: int) -> int:
    sealed = 0
    while True:
        with transaction.atomic():
            count = _seal_batch(batch)
        sealed += count
        if count < batch:
            return sealed


def _seal_batch(batch: int) -> int:
    from .models import AuditEntry

    # Plain SQL: this runs after every commit that wrote audit rows, and the ORM's query building was most of its cost.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, content_mac FROM {_table()} WHERE seq IS NULL ORDER BY id LIMIT %s", [batch])
        pending = cursor.fetchall()
    if not pending:
        return 0
    seq, previous = head()
    ids, seqs, macs = [], [], []
    for row_id, content in pending:
        seq += 1
        previous = chain_mac(previous, content, seq)
        ids.append(row_id)
        seqs.append(seq)
        macs.append(previous)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE accounts_auditentry AS a SET seq = v.seq, chain_mac = v.mac "
                "FROM unnest(%s::bigint[], %s::bigint[], %s::text[]) AS v(id, seq, mac) WHERE a.id = v.id",
                [ids, seqs, macs],
            )
    else:
        rows = [AuditEntry(id=i, seq=s, chain_mac=m) for i, s, m in zip(ids, seqs, macs, strict=True)]
        AuditEntry.objects.bulk_update(rows, ["seq", "chain_mac"], batch_size=500)
    return len(pending)


@dataclass
class Problem:
    """The first place where the stored audit trail departs from what the platform wrote."""

    kind: str  # edited, inserted, deleted, reordered
    entry_id: int | None
    seq: int | None
    message: str


@dataclass
class Verification:
    sealed: int = 0
    pending: int = 0
    head_seq: int = 0
    head_mac: str = GENESIS
    checkpoints: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems

    @property
    def first_problem(self) -> Problem | None:
        return self.problems[0] if self.problems else None


def verify(*, chunk: int = 20000) -> Verification:
    """Recompute every seal along the chain, check the published checkpoints, and check the content seals of rows
    not yet chained. Names the first row where the trail was edited, deleted, inserted or reordered."""
    from .models import AuditCheckpoint, AuditEntry

    result = Verification()
    expected, previous = 1, GENESIS
    columns = ("id", "seq", "content_mac", "chain_mac", *CONTENT_FIELDS)
    rows = AuditEntry.objects.filter(seq__isnull=False).order_by("seq").values(*columns).iterator(chunk_size=chunk)
    for row in rows:
        problem = _check_link(row, expected, previous)
        if problem:
            result.problems.append(problem)
            break
        result.sealed += 1
        expected, previous = row["seq"] + 1, row["chain_mac"]
    result.head_seq, result.head_mac = expected - 1, previous
    if result.intact:
        by_seq = dict(AuditEntry.objects.filter(seq__isnull=False).values_list("seq", "chain_mac").order_by())
        for checkpoint in AuditCheckpoint.objects.order_by("seq"):
            result.checkpoints += 1
            if by_seq.get(checkpoint.seq, GENESIS if checkpoint.seq == 0 else None) != checkpoint.chain_mac:
                result.problems.append(
                    Problem(
                        "deleted",
                        None,
                        checkpoint.seq,
                        f"the chain no longer holds position {checkpoint.seq} as published for "
                        f"“{checkpoint.label}” on {checkpoint.created_at:%Y-%m-%d %H:%M}: rows at the chain's end "
                        "were deleted or replaced",
                    )
                )
                break
    from .models import HeldAuditEntry

    # Rows held until a round's opening: their content seals are checked, and a problem is named without any id,
    # count or time, which would tell how many bids a round has.
    for row in HeldAuditEntry.objects.values("content_mac", *CONTENT_FIELDS).iterator(chunk_size=chunk):
        if row["content_mac"] != _mac(content_text(row)):
            result.problems.append(
                Problem("edited", None, None, "a row held until a round's opening does not match its seal")
            )
            break
    for row in AuditEntry.objects.filter(seq__isnull=True).order_by("id").values("id", "content_mac", *CONTENT_FIELDS):
        result.pending += 1
        if row["content_mac"] != _mac(content_text(row)):
            result.problems.append(
                Problem(
                    "inserted", row["id"], None, f"row {row['id']} was not written by the platform (no valid seal)"
                )
            )
            break
    return result


def _check_link(row: dict, expected: int, previous: str) -> Problem | None:
    seq, row_id = row["seq"], row["id"]
    if seq != expected:
        missing = f"position {expected}" if seq == expected + 1 else f"positions {expected}–{seq - 1}"
        return Problem("deleted", row_id, seq, f"{missing} missing before row {row_id}: rows were deleted")
    content_valid = row["content_mac"] == _mac(content_text(row))
    link_valid = row["chain_mac"] == chain_mac(previous, row["content_mac"], seq)
    if not content_valid and link_valid:
        return Problem(
            "edited",
            row_id,
            seq,
            f"row {row_id} (position {seq}) does not match its seal: edited after it was written, "
            "or inserted beside the platform",
        )
    if not content_valid:
        return Problem("inserted", row_id, seq, f"row {row_id} (position {seq}) was not written by the platform")
    if not link_valid:
        return Problem(
            "reordered",
            row_id,
            seq,
            f"row {row_id} does not follow position {seq - 1}: rows were reordered, renumbered or removed before it",
        )
    return None


def publish_checkpoint(label: str):
    """Record the chain's head (sealing what is pending first); the caller publishes it where it matters."""
    from .models import AuditCheckpoint

    seal()
    seq, mac = head()
    return AuditCheckpoint.objects.create(seq=seq, chain_mac=mac, label=label[:120])
