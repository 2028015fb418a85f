"""Catalog pages: list and filter products, officers edit them and import spreadsheets."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import Organisation
from core.params import filtered
from core.web import refusals_on, xlsx_download

from .. import services
from ..filters import ProductFilter
from ..io.catalog_import import PRODUCT_COLUMNS, TEMPLATE_EXAMPLE_ROWS
from ..io.exports import product_template_workbook, products_workbook
from ..models import Product, ProductImport
from .forms import ProductForm, SpreadsheetUploadForm


@login_required
def product_list(request):
    queryset = Product.objects.visible_to(request.user).select_related("holder")
    filterset = ProductFilter(request.GET, queryset=queryset)
    page = Paginator(filtered(filterset), 50).get_page(request.GET.get("page"))
    _mark_credit(page.object_list)
    context = {
        "filter": filterset,
        "page": page,
        "can_edit": access.has_role(request.user, *access.PROCUREMENT_OFFICER_ROLES),
    }
    template = "procurement/product_list.html#results" if request.htmx else "procurement/product_list.html"
    return render(request, template, context)


def _mark_credit(products) -> None:
    """Risk notices and credit restrictions beside each product (listing pages mark them)."""
    from credit.selectors.eligibility import product_flags

    products = list(products)
    flags = product_flags(products)
    for product in products:
        product.credit = flags[product.pk]


@login_required
def product_detail(request, pk):
    product = get_object_or_404(Product.objects.visible_to(request.user).select_related("holder"), pk=pk)
    _mark_credit([product])
    return render(
        request,
        "procurement/product_detail.html",
        {"product": product, "can_edit": access.has_role(request.user, *access.PROCUREMENT_OFFICER_ROLES)},
    )


@access.require_roles(access.PROCUREMENT_OFFICER_ROLES)
def product_edit(request, pk=None):
    product = get_object_or_404(Product, pk=pk) if pk else None
    form = ProductForm(request.POST or None, instance=product)
    if request.method == "POST" and form.is_valid():
        with refusals_on(form):
            if product:
                product = services.product_update(actor=request.user, product=product, **form.cleaned_data)
            else:
                product = services.product_create(actor=request.user, **form.cleaned_data)
        if form.is_valid():
            messages.success(request, _("The product was saved."))
            return redirect("procurement:product_detail", pk=product.pk)
    return render(request, "procurement/product_form.html", {"form": form, "product": product})


@access.require_roles(access.PROCUREMENT_OFFICER_ROLES)
def product_import(request):
    form = SpreadsheetUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        with refusals_on(form, "file"):
            job = services.product_import_submit(
                actor=request.user,
                filename=upload.name,
                content=upload.read(),
                idempotency_key=form.cleaned_data["idempotency_key"],
            )
        if form.is_valid():
            return redirect("procurement:product_import_detail", pk=job.pk)
    if request.method == "GET":
        form = SpreadsheetUploadForm(initial={"idempotency_key": uuid.uuid4().hex})
    imports = ProductImport.objects.filter(uploaded_by=request.user).defer("content")[:10]
    return render(
        request, "procurement/product_import.html", {"form": form, "imports": imports, "columns": PRODUCT_COLUMNS}
    )


@access.require_roles(access.PROCUREMENT_OFFICER_ROLES)
def product_import_detail(request, pk):
    job = get_object_or_404(ProductImport.objects.defer("content"), pk=pk)
    template = "procurement/product_import_detail.html"
    if request.htmx:
        template += "#status"
    return render(request, template, {"job": job, "columns": PRODUCT_COLUMNS})


@access.require_roles(access.PROCUREMENT_OFFICER_ROLES)
def product_import_template(request):
    supplier = Organisation.objects.suppliers().order_by("code").first()
    rows = [
        [supplier.code if cell == "<USCC>" and supplier else cell for cell in row] for row in TEMPLATE_EXAMPLE_ROWS
    ]
    return xlsx_download(product_template_workbook(rows), "product-import-template.xlsx")


@login_required
def product_export(request):
    filterset = ProductFilter(request.GET, queryset=Product.objects.visible_to(request.user).select_related("holder"))
    return xlsx_download(products_workbook(filtered(filterset)), "products.xlsx")
