from django.urls import path

from . import trading

app_name = "trading"

urlpatterns = [
    path("relations/", trading.relation_list, name="relation_list"),
    path("relations/new/", trading.relation_create, name="relation_create"),
    path("relations/revoke/", trading.relations_revoke_bulk, name="relations_revoke_bulk"),
    path("relations/<int:pk>/", trading.relation_detail, name="relation_detail"),
    path("relations/<int:pk>/propose/", trading.relation_propose, name="relation_propose"),
    path("relations/<int:pk>/delete/", trading.relation_delete, name="relation_delete"),
    path("relations/<int:pk>/accept/", trading.relation_accept, name="relation_accept"),
    path("relations/<int:pk>/refuse/", trading.relation_refuse, name="relation_refuse"),
    path("relations/<int:pk>/revoke/", trading.relation_revoke, name="relation_revoke"),
    path("rule-sets/", trading.trading_rule_sets, name="rule_sets"),
    path("orders/", trading.order_list, name="order_list"),
    path("orders/new/", trading.order_create, name="order_create"),
    path("orders/<int:pk>/", trading.order_detail, name="order_detail"),
    path("orders/<int:pk>/lines/", trading.order_line_add, name="order_line_add"),
    path("orders/<int:pk>/send/", trading.order_send, name="order_send"),
    path("orders/lines/<int:pk>/remove/", trading.order_line_remove, name="order_line_remove"),
    path("orders/lines/<int:pk>/withdraw/", trading.order_line_withdraw, name="order_line_withdraw"),
    path("orders/lines/<int:pk>/confirm/", trading.order_line_confirm, name="order_line_confirm"),
    path("orders/lines/<int:pk>/refuse/", trading.order_line_refuse, name="order_line_refuse"),
    path("addresses/", trading.address_list, name="address_list"),
    path("addresses/new/", trading.address_create, name="address_create"),
    path("addresses/<int:pk>/edit/", trading.address_edit, name="address_edit"),
]
