"""The trading figures of trading-rules.md ("Metrics"), pure: each is a ratio of two sums over a month's lines,
kept exactly and published as a percentage rounded half up to one decimal; an empty denominator gives no value,
not 100 %.

| figure | numerator | denominator | key date |
|---|---|---|---|
| order response rate | lines confirmed or refused before the deadline | lines sent, less withdrawn | sending |
| on-time delivery rate | packs arrived by the delivery deadline, not rejected | packs confirmed | delivery deadline |
| fill rate | packs received (amount, for rollups) | packs ordered, less withdrawn (amount) | sending |
| online purchase rate | Σ (received − returned) × price, platform | numerator + off-platform reports | acceptance |
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

RESPONSE, ON_TIME, FILL, ONLINE = "response", "on_time", "fill", "online"
METRICS = (RESPONSE, ON_TIME, FILL, ONLINE)
METRIC_LABELS = {
    RESPONSE: _("order response rate"),
    ON_TIME: _("on-time delivery rate"),
    FILL: _("fill rate"),
    ONLINE: _("online purchase rate"),
}
METRIC_DEFINITIONS = {
    RESPONSE: _("Lines confirmed or refused before their deadline ÷ lines sent in the month, less those withdrawn."),
    ON_TIME: _(
        "Packs that arrived by the delivery deadline and were not rejected ÷ packs confirmed, by the month of the "
        "deadline."
    ),
    FILL: _(
        "Packs received ÷ packs ordered, less those withdrawn, by the month of sending; by amount when several "
        "products are summed."
    ),
    ONLINE: _(
        "Received less returned on the platform, by amount ÷ that plus the purchases reported as made off the "
        "platform in the month."
    ),
}
ONE_DECIMAL = Decimal("0.1")


@dataclass(frozen=True)
class Ratio:
    numerator: Decimal
    denominator: Decimal

    @property
    def value(self) -> Decimal | None:
        """The exact ratio (stored and compared with thresholds), or None when nothing counts."""
        return None if not self.denominator else Decimal(self.numerator) / Decimal(self.denominator)

    @property
    def percent(self) -> Decimal | None:
        """As published: a percentage rounded half up to one decimal."""
        value = self.value
        return None if value is None else (value * 100).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)

    def __add__(self, other: "Ratio") -> "Ratio":
        return Ratio(self.numerator + other.numerator, self.denominator + other.denominator)


def ratio(numerator, denominator) -> Ratio:
    numerator, denominator = Decimal(numerator or 0), Decimal(denominator or 0)
    if numerator < 0 or denominator < 0:
        raise ValueError("a trading figure counts nothing negative")
    return Ratio(numerator, denominator)


def online_rate(platform, off_platform) -> Ratio:
    """Platform purchases net of returns ÷ (those + off-platform reports); a month of more returns than receipts
    counts as none bought on the platform."""
    platform = max(Decimal(platform or 0), Decimal(0))
    return ratio(platform, platform + Decimal(off_platform or 0))
