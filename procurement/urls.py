from django.urls import path

from . import views

app_name = "procurement"

urlpatterns = [
    path("products/", views.product_list, name="product_list"),
    path("products/new/", views.product_edit, name="product_create"),
    path("products/export.xlsx", views.product_export, name="product_export"),
    path("products/import/", views.product_import, name="product_import"),
    path("products/import/template.xlsx", views.product_import_template, name="product_import_template"),
    path("products/import/<int:pk>/", views.product_import_detail, name="product_import_detail"),
    path("products/<int:pk>/", views.product_detail, name="product_detail"),
    path("products/<int:pk>/edit/", views.product_edit, name="product_edit"),
]
