"""Deadline notifications of trading (issue 20): the distributor is reminded half-way to an answer or delivery
deadline; when a deadline passes, the distributor and the buyer are told (a line not answered is cancelled; a
delivery overdue may be closed short by the buyer). Each notice is sent once per line and kind, by the scheduler
every few minutes; rows being worked on by another worker are skipped, not waited for."""

from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.notifications import notify

from ..models.trading import SHIPPABLE_LINE_STATUSES, DeadlineNotice, LineStatus, OrderLine

# Deadlines passed longer ago than this are history, not news (the first run after a stop sends no backlog).
LOOK_BACK = timedelta(days=7)


def _candidates(kind: str, now):
    lines = OrderLine.objects.exclude(deadline_notices__kind=kind)
    owed = {"confirmed_quantity__gt": F("shipped_quantity") + F("short_closed_quantity")}
    if kind == DeadlineNotice.Kind.ANSWER_SOON:
        return lines.filter(status=LineStatus.SENT, response_remind_at__lte=now, response_due__gt=now)
    if kind == DeadlineNotice.Kind.ANSWER_MISSED:
        return lines.filter(status=LineStatus.EXPIRED, response_due__lte=now, response_due__gt=now - LOOK_BACK)
    if kind == DeadlineNotice.Kind.DELIVERY_SOON:
        return lines.filter(
            status__in=SHIPPABLE_LINE_STATUSES, delivery_remind_at__lte=now, delivery_due__gt=now, **owed
        )
    return lines.filter(
        status__in=SHIPPABLE_LINE_STATUSES, delivery_due__lte=now, delivery_due__gt=now - LOOK_BACK, **owed
    )


def _messages(kind: str, line: dict) -> list[tuple[int, str, dict, str]]:
    params = {
        "number": line["order__number"],
        "product": line["product__generic_name"],
        "due": timezone.localtime(
            line["response_due"] if kind.startswith("answer") else line["delivery_due"]
        ).strftime("%Y-%m-%d %H:%M"),
    }
    link = f"/trading/orders/{line['order_id']}/"
    distributor = (line["distributor_id"], f"order.{kind}", params, link)
    if kind in (DeadlineNotice.Kind.ANSWER_SOON, DeadlineNotice.Kind.DELIVERY_SOON):
        return [distributor]
    return [distributor, (line["order__buyer_id"], f"order.{kind}_buyer", params, link)]


def send_deadline_notices(now=None, chunk: int = 2000) -> int:
    """Send every notice that is due; returns how many lines were notified. Running it twice sends nothing more."""
    now = now or timezone.now()
    notified = 0
    for kind in DeadlineNotice.Kind.values:
        while True:
            with transaction.atomic():
                rows = list(
                    _candidates(kind, now)
                    .select_for_update(skip_locked=True, of=("self",))
                    .order_by("pk")
                    .values(
                        "pk", "order_id", "order__number", "order__buyer_id", "distributor_id",
                        "product__generic_name", "response_due", "delivery_due",
                    )[:chunk]
                )  # fmt: skip
                if not rows:
                    break
                DeadlineNotice.objects.bulk_create(
                    [DeadlineNotice(line_id=row["pk"], kind=kind, sent_at=now) for row in rows], ignore_conflicts=True
                )
                notify([message for row in rows for message in _messages(kind, row)])
                notified += len(rows)
    return notified
