"""Deadline notifications: half-way reminders to the distributor, and both parties told when an answer or delivery
deadline passes; each once per line and kind, however often the scheduler runs."""

# ruff: noqa: F811  (the ``world`` fixture of the order tests is imported and named as a parameter)

from datetime import datetime

import pytest

from accounts.models import Notification
from procurement.services import orders
from procurement.services.trading_notices import send_deadline_notices
from tests.procurement.test_orders import SENT_AT, SHANGHAI, at, draft, world  # noqa: F401

pytestmark = pytest.mark.django_db


def kinds(organisation):
    notifications = Notification.objects.filter(organisation=organisation, kind__startswith="order.")
    return sorted(notifications.values_list("kind", flat=True))


def test_an_unanswered_line_is_reminded_half_way_then_reported_missed(hospital_user, world):
    distributor = world["distributors"][0][0]
    with at(SENT_AT):
        [order] = orders.order_send(actor=hospital_user, order=draft(hospital_user, world))
    line = order.lines.get()
    assert line.response_remind_at == datetime(2026, 5, 13, 17, tzinfo=SHANGHAI)  # half-way to Fri 00:00
    assert send_deadline_notices(datetime(2026, 5, 13, 16, tzinfo=SHANGHAI)) == 0
    assert send_deadline_notices(datetime(2026, 5, 13, 17, 5, tzinfo=SHANGHAI)) == 1
    assert send_deadline_notices(datetime(2026, 5, 13, 17, 10, tzinfo=SHANGHAI)) == 0
    assert kinds(distributor) == ["order.answer_soon"]
    orders.lines_expire(datetime(2026, 5, 15, 0, 1, tzinfo=SHANGHAI))
    assert send_deadline_notices(datetime(2026, 5, 15, 0, 5, tzinfo=SHANGHAI)) == 1
    assert kinds(distributor) == ["order.answer_missed", "order.answer_soon"]
    assert kinds(hospital_user.organisation) == ["order.answer_missed_buyer"]
    message = Notification.objects.get(kind="order.answer_missed_buyer")
    assert message.params["number"] == order.number and message.params["due"] == "2026-05-15 00:00"


def test_an_overdue_delivery_is_reported_to_both_until_everything_is_shipped(hospital_user, world):
    distributor = world["distributors"][0]
    with at(SENT_AT):
        [order] = orders.order_send(actor=hospital_user, order=draft(hospital_user, world))
    with at(datetime(2026, 5, 13, 9, tzinfo=SHANGHAI)):
        line = orders.line_confirm(actor=distributor[1], line=order.lines.get(), quantity=100)
    assert line.delivery_due == datetime(2026, 5, 18, 9, tzinfo=SHANGHAI)
    send_deadline_notices(datetime(2026, 5, 13, 18, tzinfo=SHANGHAI))  # answered: no answer reminder
    assert kinds(distributor[0]) == []
    assert send_deadline_notices(datetime(2026, 5, 16, 12, tzinfo=SHANGHAI)) == 1
    assert kinds(distributor[0]) == ["order.delivery_soon"]
    assert send_deadline_notices(datetime(2026, 5, 18, 10, tzinfo=SHANGHAI)) == 1
    assert send_deadline_notices(datetime(2026, 5, 18, 11, tzinfo=SHANGHAI)) == 0
    assert kinds(distributor[0]) == ["order.delivery_missed", "order.delivery_soon"]
    assert kinds(hospital_user.organisation) == ["order.delivery_missed_buyer"]
