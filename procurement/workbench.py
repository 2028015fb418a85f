"""Procurement's part of a user's home page (registered with ``accounts.workbench`` when the app is ready): a
supplier's own products, the size of the catalog for everyone else."""

from accounts import access


def catalog_panel(user) -> dict:
    from .models import Product

    if access.is_supplier_user(user):
        return {"own_products": Product.objects.visible_to(user).filter(holder_id=user.organisation_id)}
    return {"product_count": Product.objects.visible_to(user).count()}
