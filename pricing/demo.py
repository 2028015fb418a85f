"""Demo price governance for ``manage.py load_demo``: winners' listings at their winning price, an approved non-VBP
listing whose approved price rise opened a warning with an inquiry letter; left alone when listings exist."""

from django.db import transaction

from accounts.models import Role, User
from procurement.models import Contract

from . import services
from .models import Listing


@transaction.atomic
def load() -> int:
    if Listing.objects.exists():
        return 0
    officer = User.objects.filter(role=Role.PROCUREMENT_OFFICER).first()
    contracts = Contract.objects.filter(round__code="GY-2024-11").select_related("product", "region", "supplier")
    listed = set()
    for contract in contracts:
        key = (contract.product_id, contract.region_id)
        if key in listed:
            continue
        supplier_user = User.objects.filter(organisation=contract.supplier).first()
        listing = services.listing_apply(
            actor=supplier_user, product=contract.product, price=contract.unit_price, region=contract.region
        )
        services.listing_review(actor=officer, listing=listing, approve=True, reason="中选价挂网")
        listed.add(key)
        if len(listed) >= 4:
            break
    first = Contract.objects.filter(round__code="GY-2024-11").select_related("supplier").first()
    if first is None:
        return len(listed)
    supplier_user = User.objects.filter(organisation=first.supplier).first()
    product = first.supplier.products.exclude(pk__in=contracts.values("product_id")).first()
    if product is not None:
        listing = services.listing_apply(actor=supplier_user, product=product, price="0.8000", reason="成本核算")
        services.listing_review(actor=officer, listing=listing, approve=True, reason="成本资料齐全")
        change = services.listing_price_request(
            actor=supplier_user, listing=listing, price="0.9600", reason="原料涨价"
        )
        for warning in services.listing_price_review(actor=officer, change=change, approve=True, reason="批准并关注"):
            services.warning_inquire(actor=officer, warning=warning, text="请说明本次涨价20%的原因并提供成本资料。")
    return len(listed) + 1
