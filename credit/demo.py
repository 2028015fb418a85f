"""Demo credit data for ``manage.py load_demo``: a few records in each stage of the procedure, through the
services (so they are audited and rated like real use); left alone when records exist."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, Role, User

from . import services
from .models import CreditRecord, Measure


def _backdate(record: CreditRecord, days: int) -> None:
    """Place the notice ``days`` in the past, as if the window had run its course."""
    published = timezone.now() - timedelta(days=days)
    CreditRecord.objects.filter(pk=record.pk).update(notice_published_at=published, notice_opened_at=published)
    record.refresh_from_db()


@transaction.atomic
def load() -> int:
    if CreditRecord.objects.exists():
        return 0
    officer = User.objects.filter(role=Role.CREDIT_OFFICER).first()
    suppliers = list(Organisation.objects.suppliers().order_by("pk"))
    if officer is None or len(suppliers) < 6:
        return 0
    today = timezone.localdate()
    # supplier5: a medium kickback case confirmed two months ago: written warning and risk notice in force.
    medium = services.record_create(
        actor=officer, supplier=suppliers[4], item="kickback", occurred_on=today - timedelta(days=200),
        source=CreditRecord.Source.ADMINISTRATIVE_PENALTY, document_number="湘医保罚〔2026〕17号", amount="150000",
        description="向医院药剂科负责人支付回扣15万元。",
    )  # fmt: skip
    _backdate(medium, 80)
    services.record_decide(actor=officer, record=medium, decision="upheld", reason="处罚决定书认定事实清楚。")
    # supplier6: refused to sign after winning: serious, its product in the case restricted.
    serious = services.record_create(
        actor=officer, supplier=suppliers[5], item="breach_contract", occurred_on=today - timedelta(days=120),
        source=CreditRecord.Source.PLATFORM_EVENT, facts={"refused_to_sign": True},
        description="中选后拒绝签订采购协议。", products=list(suppliers[5].products.all()[:1]),
    )  # fmt: skip
    services.record_notify(actor=officer, record=serious)
    _backdate(serious, 70)
    services.record_decide(actor=officer, record=serious, decision="upheld", reason="平台记录确认。")
    # Both were confirmed long enough ago for their rectification periods to have passed.
    CreditRecord.objects.filter(pk__in=[medium.pk, serious.pk]).update(confirmed_on=today - timedelta(days=45))
    Measure.objects.filter(supplier__in=suppliers[4:6]).update(starts_on=today - timedelta(days=15))
    # supplier3: a notice in its defence window.
    services.record_create(
        actor=officer, supplier=suppliers[2], item="unfair_price", occurred_on=today - timedelta(days=30),
        source=CreditRecord.Source.ADMINISTRATIVE_PENALTY, document_number="湘发改价监〔2026〕5号",
        facts={"penalised_price_months": 2}, description="短期内大幅提价。",
    )  # fmt: skip
    services.tip_submit(
        supplier_name=suppliers[1].name, item="kickback", description="据反映该企业医药代表向医生发放购物卡。"
    )
    run = services.rating_run_start(as_of=today)
    # The chunks are rated here, whatever the Celery mode, so the demo leaves no job waiting for a worker (a queued
    # copy finds its chunk done and changes nothing).
    from .services.ratings import rating_chunk_compute

    for index in range(run.chunks_total):
        rating_chunk_compute(run.pk, index)
    return 4
