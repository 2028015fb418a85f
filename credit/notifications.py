"""The wording of the notifications the credit rating sends (notices, decisions, levels, warnings, repair),
registered with ``accounts.notifications`` when the app is ready."""

from django.utils.translation import gettext_lazy

WORDING = {
    "credit.notice": gettext_lazy(
        "Credit record %(record)s: the authority proposes a rating (%(level)s). You may file a written defence "
        "until %(due)s."
    ),
    "credit.decision": gettext_lazy(
        "Credit record %(record)s: the authority's decision is “%(decision)s” (%(level)s)."
    ),
    "credit.level": gettext_lazy("Your credit rating on %(as_of)s is %(level)s."),
    "credit.warning": gettext_lazy(
        "A written warning (书面提醒告诫) concerning %(records)s: please read and acknowledge it."
    ),
    "credit.repair": gettext_lazy("Credit repair of record %(record)s: %(status)s."),
}

# Parameters that are codes, worded in the reader's language at display time.
CODED_PARAMS = ("level", "decision", "status")


def label_params(params: dict) -> None:
    from .labels import code_label

    for name in CODED_PARAMS:
        if name in params:
            params[name] = code_label(params[name])
