"""A supplier's part in a round before its opening (参与席位), sealed so that not even a database reader can tell
who takes part or how many bids there are.

Until the opening a round's bids, bid versions, receipts, credit commitments and the audit rows about them are not
rows of their own. Each possible bidder (every supplier holding a product eligible in one of the round's groups,
and any other supplier that signs the round's commitment) has one ``Participation`` row, created for all of them at
once, found by a keyed token of the round and the supplier, and holding its state as ciphertext of one fixed size.
A supplier that does nothing and one that bids in every group look the same in the database.

Two layers of encryption: the state is readable by the application at any time (a supplier sees its own receipts)
under a key derived from the platform's sealing key; the content of each bid inside it stays sealed under the
round's key, which refuses before the opening time (``sealing.unseal``). At the opening, ``write_out`` turns every
state into ordinary ``Bid``, ``BidVersion`` and ``Commitment`` rows and their audit rows, and deletes the slots.
"""

import base64
import uuid
import zlib
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidTag
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from .exceptions import ProcurementError
from .models import Bid, BidVersion, Participation, Product, ProductGroup, TenderRound
from .sealing import keyed_digest, open_state, seal_state


def token(tender_round: TenderRound, supplier_id: int) -> str:
    """The keyed token that finds a supplier's row: without the platform key it names nobody."""
    return keyed_digest("participation", f"{tender_round.pk}:{tender_round.sealing_salt}:{supplier_id}".encode())


def _aad(tender_round: TenderRound, slot_token: str) -> bytes:
    return f"participation|{tender_round.code}|{slot_token}".encode()


def empty_state(supplier_id: int) -> dict:
    return {"supplier": supplier_id, "commitment": None, "bids": {}, "versions": []}


def _encode(tender_round: TenderRound, slot_token: str, state: dict) -> bytes:
    try:
        return seal_state(tender_round, state, _aad(tender_round, slot_token), settings.PARTICIPATION_STATE_BYTES)
    except OverflowError:
        raise ProcurementError(
            _("Your record for this round is full: ask the procurement centre before changing your bids again."),
            code="participation_full",
        ) from None


class UnreadableParticipation(ProcurementError):
    """A row altered or moved outside the platform: it fails its authentication."""


def _decode(tender_round: TenderRound, slot: Participation) -> dict:
    try:
        return open_state(tender_round, slot.state, _aad(tender_round, slot.token))
    except (InvalidTag, ValueError, zlib.error):
        raise UnreadableParticipation(
            _(
                "Your sealed record for this round cannot be read: it was altered outside the platform. "
                "Contact the procurement centre."
            ),
            code="participation_unreadable",
        ) from None


def _readable(tender_round: TenderRound, slot: Participation) -> dict | None:
    try:
        return _decode(tender_round, slot)
    except UnreadableParticipation:
        return None


def possible_bidders(tender_round: TenderRound) -> set[int]:
    """Every supplier holding a product eligible in one of the round's groups: public, whoever bids."""
    return set(Product.objects.filter(groups__round=tender_round).values_list("holder_id", flat=True).distinct())


def ensure_slots(tender_round: TenderRound, *supplier_ids: int) -> int:
    """Create the missing rows of the round: one per possible bidder and per supplier named, all at once."""
    wanted = {
        token(tender_round, supplier): supplier for supplier in possible_bidders(tender_round) | set(supplier_ids)
    }
    existing = set(Participation.objects.filter(token__in=list(wanted)).values_list("token", flat=True))
    missing = [
        Participation(round=tender_round, token=slot_token, state=_encode(tender_round, slot_token, empty_state(s)))
        for slot_token, s in sorted(wanted.items())
        if slot_token not in existing
    ]
    Participation.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)


def locked(tender_round: TenderRound, supplier_id: int) -> tuple[Participation, dict]:
    """The supplier's row, locked for the caller's transaction, with its state."""
    slot_token = token(tender_round, supplier_id)
    slot = Participation.objects.select_for_update().filter(token=slot_token).first()
    if slot is None:
        ensure_slots(tender_round, supplier_id)
        slot = Participation.objects.select_for_update().get(token=slot_token)
    return slot, _decode(tender_round, slot)


def store(tender_round: TenderRound, slot: Participation, state: dict) -> None:
    slot.state = _encode(tender_round, slot.token, state)
    slot.save(update_fields=["state"])


def read(tender_round: TenderRound, supplier_id: int) -> dict:
    """The supplier's state in a round not yet written out (an empty one if it has no row)."""
    slot = Participation.objects.filter(token=token(tender_round, supplier_id)).first()
    state = _readable(tender_round, slot) if slot else None
    return state or empty_state(supplier_id)


def states(tender_round: TenderRound) -> list[dict]:
    """Every readable state of a round not yet written out (for the platform's own counts: the benchmark)."""
    found = (_readable(tender_round, slot) for slot in Participation.objects.filter(round=tender_round))
    return [state for state in found if state is not None]


def refresh(tender_round: TenderRound) -> int:
    """Re-encrypt every row of a round (fresh nonces, rows rewritten in one transaction), so that which rows
    changed since the last refresh cannot be told from the table. Run when a bid window closes and periodically
    while one is open (``procurement.refresh_participation``)."""
    slots = []
    for slot in Participation.objects.select_for_update().filter(round=tender_round).order_by("token"):
        state = _readable(tender_round, slot)
        if state is not None:  # an unreadable row is left as it is, for the opening to report
            slot.state = _encode(tender_round, slot.token, state)
            slots.append(slot)
    Participation.objects.bulk_update(slots, ["state"], batch_size=200)
    return len(slots)


# What the application shows a supplier of its own part: model instances, unsaved before the opening.


@dataclass
class OwnPart:
    commitment: object | None = None
    bids: dict[int, Bid] = field(default_factory=dict)
    versions: dict[int, list[BidVersion]] = field(default_factory=dict)

    def all_versions(self) -> list[BidVersion]:
        return [version for versions in self.versions.values() for version in versions]


def _bid(tender_round: TenderRound, group: ProductGroup, supplier_id: int, bid: dict) -> Bid:
    return Bid(
        round_id=tender_round.pk,
        group=group,
        supplier_id=supplier_id,
        status=bid["status"],
        current_version=bid["current"],
        last_submitted_at=parse_datetime(bid["at"]),
    )


def _version(bid: Bid, version: dict, content: str | None) -> BidVersion:
    return BidVersion(
        public_id=uuid.UUID(version["id"]),
        bid=bid,
        supplier_id=bid.supplier_id,
        number=version["number"],
        action=version["action"],
        submitted_at=parse_datetime(version["at"]),
        submitted_by_id=version["by"],
        sealed_content=base64.b64decode(content) if content else None,
        receipt_hash=version["receipt"],
        idempotency_key=version["key"],
        request_hash=version["request"],
    )


def version_instance(tender_round: TenderRound, group: ProductGroup, state: dict, version: dict) -> BidVersion:
    """One version of the state as an (unsaved) ``BidVersion``, for a receipt."""
    bid = _bid(tender_round, group, state["supplier"], state["bids"][str(group.pk)])
    return _version(bid, version, None)


def _commitment(tender_round: TenderRound, supplier_id: int, commitment: dict):
    from credit.models import Commitment

    return Commitment(
        public_id=uuid.UUID(commitment["id"]),
        supplier_id=supplier_id,
        round=tender_round,
        text_id=commitment["text"],
        text_sha256=commitment["sha256"],
        signed_by_id=commitment["by"],
        signed_at=parse_datetime(commitment["at"]),
    )


def _part_from_state(tender_round: TenderRound, state: dict, groups: dict[int, ProductGroup]) -> OwnPart:
    part = OwnPart()
    if state["commitment"]:
        part.commitment = _commitment(tender_round, state["supplier"], state["commitment"])
    for group_id, bid in state["bids"].items():
        part.bids[int(group_id)] = _bid(tender_round, groups[int(group_id)], state["supplier"], bid)
    for version in state["versions"]:
        bid = part.bids[version["group"]]
        part.versions.setdefault(version["group"], []).append(_version(bid, version, None))
    return part


def own_part(tender_round: TenderRound, supplier_id: int) -> OwnPart:
    """The supplier's commitment, bids and bid versions (receipts, never contents) in one round."""
    from credit.models import Commitment

    if written_out(tender_round):
        part = OwnPart(commitment=Commitment.objects.filter(supplier_id=supplier_id, round=tender_round).first())
        bids = Bid.objects.filter(round=tender_round, supplier_id=supplier_id).select_related("group")
        part.bids = {bid.group_id: bid for bid in bids}
        for version in (
            BidVersion.objects.filter(bid__in=bids)
            .select_related("bid__group")
            .defer("sealed_content")
            .order_by("number")
        ):
            part.versions.setdefault(version.bid.group_id, []).append(version)
        return part
    groups = {group.pk: group for group in tender_round.groups.all()}
    return _part_from_state(tender_round, read(tender_round, supplier_id), groups)


def written_out(tender_round: TenderRound) -> bool:
    return tender_round.opened_at is not None


def sealed_parts(supplier_id: int) -> list[tuple[TenderRound, OwnPart]]:
    """The supplier's part in every round not yet opened (for its lists of receipts and commitments)."""
    rounds = {round_.pk: round_ for round_ in TenderRound.objects.filter(opened_at__isnull=True)}
    tokens = {token(round_, supplier_id): round_ for round_ in rounds.values()}
    slots = list(Participation.objects.filter(token__in=list(tokens)))
    groups: dict[int, ProductGroup] = {}
    if slots:
        groups = {
            group.pk: group
            for group in ProductGroup.objects.filter(round_id__in=[slot.round_id for slot in slots]).select_related(
                "round"
            )
        }
    parts = []
    for slot in slots:
        tender_round = tokens[slot.token]
        state = _readable(tender_round, slot)
        if state is not None:
            parts.append((tender_round, _part_from_state(tender_round, state, groups)))
    return parts


def write_out(tender_round: TenderRound) -> int:
    """At the opening: every state of the round becomes ordinary rows (commitments, bids, versions with the current
    version's sealed content, and their audit rows at the times they happened); the slots are deleted. The
    caller holds the round's lock. Returns the number of rows that could not be read: a row altered or moved
    outside the platform fails its authentication, and it must not stop every other bid from opening."""
    from accounts import audit
    from credit.models import Commitment

    slots = list(Participation.objects.select_for_update().filter(round=tender_round).order_by("token"))
    states, unreadable = [], 0
    for slot in slots:
        state = _readable(tender_round, slot)
        if state is None:
            unreadable += 1
        else:
            states.append(state)
    groups = {group.pk: group for group in tender_round.groups.all()}
    users = get_user_model().objects.in_bulk(
        {version["by"] for state in states for version in state["versions"]}
        | {state["commitment"]["by"] for state in states if state["commitment"]}
    )
    commitments, bids, _pending = [], [], []
    for state in states:
        if state["commitment"]:
            commitments.append(_commitment(tender_round, state["supplier"], state["commitment"]))
        for group_id, bid in state["bids"].items():
            bids.append((state, group_id, _bid(tender_round, groups[int(group_id)], state["supplier"], bid)))
    Commitment.objects.bulk_create(commitments)
    Bid.objects.bulk_create([bid for _state, _group, bid in bids])
    by_key = {(state["supplier"], int(group_id)): (state, bid) for state, group_id, bid in bids}
    versions = []
    for state in states:
        for version in state["versions"]:
            owner, bid = by_key[(state["supplier"], version["group"])]
            current = owner["bids"][str(version["group"])]
            content = current["content"] if version["number"] == current["current"] else None
            versions.append(_version(bid, version, content))
    BidVersion.objects.bulk_create(versions)
    entries = []
    for commitment in commitments:
        entry = audit.entry_for(
            actor=users[commitment.signed_by_id],
            action="commitment.sign",
            instance=commitment,
            after={
                "round": tender_round.code,
                "text_version": commitment.text.version,
                "text_sha256": commitment.text_sha256,
            },
        )
        entry.created_at = commitment.signed_at
        entries.append(entry)
    for version in versions:
        entry = audit.entry_for(
            actor=users[version.submitted_by_id],
            action=f"bid.{version.action}",
            instance=version.bid,
            after={
                "round": tender_round.code,
                "group": version.bid.group.code,
                "version": version.number,
                "receipt_hash": version.receipt_hash,
            },
        )
        entry.created_at = version.submitted_at
        entries.append(entry)
    entries.sort(key=lambda entry: entry.created_at)
    if entries:
        audit.record_many(entries)
    Participation.objects.filter(pk__in=[slot.pk for slot in slots]).delete()
    return unreadable
