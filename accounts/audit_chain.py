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
import fcntl
import functools
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

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
    return key_text().encode()


def key_text() -> str:
    """The chain's key: ``AUDIT_CHAIN_KEY``, or (embedded mode) a random key kept in a file beside the project,
    created owner-only on first use (read once per process: every seal and every verified row needs it)."""
    if settings.AUDIT_CHAIN_KEY:
        return settings.AUDIT_CHAIN_KEY
    return _key_file_text(str(settings.AUDIT_CHAIN_KEY_FILE))


@functools.lru_cache(maxsize=4)
def _key_file_text(file: str) -> str:
    path = Path(file)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process created it a moment ago
            pass
        else:
            with os.fdopen(descriptor, "w") as handle:
                handle.write(secrets.token_urlsafe(32))
    return path.read_text().strip()


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
    anchor: dict | None = None
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
        anchor = result.anchor = latest_anchor()
        if anchor is not None:
            problem = _check_anchor(anchor, _chain_mac_at)
            if problem:
                result.problems.append(problem)
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


def _chain_mac_at(seq: int) -> str | None:
    from .models import AuditEntry

    if seq == 0:
        return GENESIS
    return AuditEntry.objects.filter(seq=seq).values_list("chain_mac", flat=True).first()


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
    """Record the chain's head (sealing what is pending first); the caller publishes it where it matters. Once the
    transaction commits, the head is also anchored outside the database (``append_anchor``)."""
    from .models import AuditCheckpoint

    seal()
    seq, mac = head()
    checkpoint = AuditCheckpoint.objects.create(seq=seq, chain_mac=mac, label=label[:120])
    transaction.on_commit(lambda: append_anchor(seq, mac, label[:120]))
    return checkpoint


# Anchors: signed heads of the chain in an append-only file outside the database. Whoever can rewrite the database
# (delete its last rows and the checkpoints after them, or re-seal everything with another key) cannot rewrite
# these without the key, and verification compares the chain with the latest one.


def _anchor_file() -> Path:
    """One file per database (its engine, host and name), so test and scratch databases keep apart."""
    database = connection.settings_dict
    identity = f"{connection.vendor}:{database.get('HOST') or ''}:{database.get('NAME')}"
    digest = hashlib.sha256(identity.encode()).hexdigest()[:16]
    return Path(settings.AUDIT_ANCHOR_DIR) / f"anchors-{digest}.jsonl"


def _anchor_signature(anchor: dict) -> str:
    text = f"anchor:{anchor['seq']}:{anchor['chain_mac']}:{anchor['at']}:{anchor['label']}"
    return _mac(text)


def append_anchor(seq: int, mac: str, label: str) -> dict:
    """Append one signed head to the anchor file (owner-only, one line each, under a file lock)."""
    anchor = {"seq": seq, "chain_mac": mac, "label": label, "at": datetime.datetime.now(datetime.UTC).isoformat()}
    anchor["signature"] = _anchor_signature(anchor)
    path = _anchor_file()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(descriptor, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        handle.write(json.dumps(anchor, ensure_ascii=False, sort_keys=True) + "\n")
    return anchor


def anchors() -> list[dict]:
    """Every anchor of this database, oldest first (lines that are not JSON are kept, marked, to be reported)."""
    path = _anchor_file()
    if not path.exists():
        return []
    result = []
    for line in path.read_text().splitlines():
        if not line.strip():
            continue
        try:
            result.append(json.loads(line))
        except ValueError:
            result.append({"unreadable": line[:200]})
    return result


def latest_anchor() -> dict | None:
    listed = anchors()
    return listed[-1] if listed else None


def _check_anchor(anchor: dict, by_seq) -> Problem | None:
    if "unreadable" in anchor or anchor.get("signature") != _anchor_signature(anchor):
        return Problem(
            "anchor",
            None,
            anchor.get("seq"),
            "the latest anchor outside the database is not signed by the platform's key: the chain was re-sealed "
            "with another key, or the anchor file was edited",
        )
    seq = anchor["seq"]
    if by_seq(seq) != anchor["chain_mac"]:
        return Problem(
            "deleted",
            None,
            seq,
            f"the chain no longer holds position {seq} as anchored outside the database on {anchor['at'][:16]} "
            f"(“{anchor['label']}”): rows at the chain's end were deleted or replaced, checkpoints too",
        )
    return None
