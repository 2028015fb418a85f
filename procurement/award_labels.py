"""Words for the award engines' machine-readable codes (bid outcomes and allocation reasons)."""

from django.utils.translation import gettext_lazy

REASON_LABELS = {
    "winner": gettext_lazy("winner"),
    "above_ceiling": gettext_lazy("above the ceiling price or empty quote"),
    "ineligible": gettext_lazy("not eligible"),
    "above_threshold": gettext_lazy("above the award threshold"),
    "exceeds_winner_count": gettext_lazy("beyond the number of winners allowed"),
    "revival_offered": gettext_lazy("revival offered at the highest winning price"),
    "cut_by_anchor": gettext_lazy("above 1.8 × the anchor price"),
    "hospital_choice": gettext_lazy("chosen by the hospital"),
    "reported_brand": gettext_lazy("brand the hospital reported"),
    "primary_supplier": gettext_lazy("primary supplier of the region"),
    "capacity_overflow": gettext_lazy("overflow from a winner at capacity"),
    "backup_after_failure": gettext_lazy("backup after a supply failure"),
}


def reason_label(code: str) -> str:
    return str(REASON_LABELS.get(code, code))
