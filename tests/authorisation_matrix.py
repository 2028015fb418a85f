"""Who may call what: the expected outcome of every route for every role, on an object of the caller's own
organisation ("mine": supplier1's, hospital1's or both) and on one of another organisation ("theirs").

Each expectation lists, in ROLES order (anonymous, procurement officer, credit officer, administrator, supplier,
hospital, distributor), one of: ``ok`` (served: 2xx/3xx), ``invalid`` (let in, then refused by validation: the
matrix posts empty forms; never the answer a refused caller gets), ``login`` (sent to log in), ``401``/``403``
(refused), ``404`` (not found: the object is private to its organisation) or ``405`` (method not allowed). A pair is
(mine, theirs); one string is for routes without an object.
tests/test_authorisation_matrix.py holds the platform to it.
"""

from dataclasses import dataclass

# The acting users of the demo data, in the order every expectation lists them.
ROLES = {
    "anon": None,
    "officer": "officer",
    "credit": "credit",
    "admin": "admin",
    "supplier": "supplier1",
    "hospital": "hospital1",
    "distributor": "distributor1",
}


@dataclass(frozen=True)
class Row:
    kwargs: object  # (objects, side, role) -> URL kwargs, or None
    expectations: dict

    @property
    def methods(self):
        return tuple(self.expectations)

    def expected(self, method: str) -> list[list[str]]:
        value = self.expectations[method]
        sides = (value,) if isinstance(value, str) else value
        return [side.split() for side in sides]


def pk(kind, name="pk"):
    return lambda objects, side, role: {name: objects[kind][side].pk}


def in_round(kind, inner, inner_name):
    return lambda objects, side, role: {"pk": objects[kind][side].pk, inner_name: objects[inner][side].pk}


def own_organisation(objects, side, role):
    """The caller's own organisation (supplier1's for the authority), or another of the same kind."""
    return {"pk": objects["hospital" if role == "hospital" else "supplier"][side].pk}


def own_user(objects, side, role):
    users = objects["_users"]
    return {"pk": (users.get(role) or users["supplier"]).pk if side == 0 else objects["user"][1].pk}


def announcement(objects, side, role):
    return {"code": objects["effect_round"][side].code}


def catalog_version(objects, side, role):
    return {"code": "2020"}


def change_id(objects, side, role):
    return {"change_id": objects["change"][side].pk}


def evidence(objects, side, role):
    return {"kind": "record", "pk": objects["record"][side].pk}


def admin_expected(view, model_admin):
    """The admin answers the administrator (superuser) only; the others are sent to its login page."""
    administrator = "ok"
    if view == "add" and not model_admin.has_add_permission(_AdminRequest()):
        administrator = "403"
    return {
        "anon": "login",
        "officer": "login",
        "credit": "login",
        "supplier": "login",
        "hospital": "login",
        "distributor": "login",
        "admin": administrator,
    }


class _AdminRequest:
    class user:
        is_active = is_staff = is_superuser = True

        @staticmethod
        def has_perm(*args, **kwargs):
            return True


ADMIN_EXPECTED = admin_expected

R, OR, ER = "round", "opened_round", "effect_round"
KWARGS = {
    "healthz": None,
    "favicon": None,
    "set_language": None,
    "accounts:home": None,
    "accounts:login": None,
    "accounts:logout": None,
    "accounts:password_change": None,
    "accounts:password_change_done": None,
    "accounts:organisation_list": None,
    "accounts:organisation_create": None,
    "accounts:organisation_detail": own_organisation,
    "accounts:organisation_edit": own_organisation,
    "accounts:second_factor": None,
    "accounts:audit_list": None,
    "accounts:audit_entry": pk("audit"),
    "accounts:audit_verification": None,
    "accounts:notification_list": None,
    "accounts:api_tokens": None,
    "procurement:product_list": None,
    "procurement:product_create": None,
    "procurement:product_export": None,
    "procurement:product_import": None,
    "procurement:product_import_template": None,
    "procurement:product_import_detail": pk("product_import"),
    "procurement:product_detail": pk("product"),
    "procurement:product_edit": pk("product"),
    "procurement:round_list": None,
    "procurement:rounds_moved": lambda objects, side, role: {"rest": f"{objects[R][side].pk}/"},
    "procurement:round_create": None,
    "procurement:round_detail": pk(R),
    "procurement:round_edit": pk(R),
    "procurement:round_transition": pk(R),
    "procurement:round_extend_demand": pk(R),
    "procurement:group_create": pk(R),
    "procurement:group_edit": in_round(R, "group", "group_pk"),
    "procurement:round_demand": pk(R),
    "procurement:round_demand_upload": pk(R),
    "procurement:round_demand_template": pk(R),
    "procurement:round_demand_summary": pk(R),
    "procurement:round_commitment": pk(R),
    "procurement:round_bids": pk(R),
    "procurement:round_bid_receipts": pk(R),
    "procurement:round_bid_withdraw": in_round(R, "group", "group_pk"),
    "procurement:round_bid_preview": in_round(R, "group", "group_pk"),
    "procurement:round_open": pk(R),
    "procurement:round_opening": pk(OR),
    "procurement:round_opening_export": pk(OR),
    "procurement:round_award_preview": pk(OR),
    "procurement:round_spec_ceilings": pk(R),
    "procurement:round_spec_ceilings_template": pk(R),
    "procurement:round_award": pk(OR),
    "procurement:award_compare": pk(OR),
    "procurement:award_run": in_round(ER, "run", "run_pk"),
    "procurement:award_run_progress": in_round(ER, "run", "run_pk"),
    "procurement:award_run_lines": in_round(ER, "run", "run_pk"),
    "procurement:award_run_publish": in_round(ER, "run", "run_pk"),
    "procurement:award_revival_accept": in_round(ER, "run", "run_pk"),
    "procurement:round_results": pk(ER),
    "procurement:round_allocations": pk(OR),
    "procurement:round_choose_winner": in_round(OR, "demand", "report_pk"),
    "public:award_announcements": None,
    "public:open_data": None,
    "public:rule_set_list": None,
    "public:rule_set_detail": lambda objects, side, role: {
        "code": objects[R][side].rule_set.code,
        "version": objects[R][side].rule_set.version,
    },
    "public:open_data_package": announcement,
    "ocds-detail": announcement,
    "public:award_announcement": announcement,
    "credit:home": None,
    "credit:catalog": None,
    "credit:evidence_download": evidence,
    "credit:record_list": None,
    "credit:record_create": None,
    "credit:record_export": None,
    "credit:record_detail": pk("record"),
    "credit:record_decide": pk("record"),
    "credit:record_notify": pk("record"),
    "credit:record_acknowledge": pk("record"),
    "credit:record_revoke": pk("record"),
    "credit:record_defend": pk("record"),
    "credit:repair_apply": pk("record"),
    "credit:repair_decide": pk("repair"),
    "credit:self_report": None,
    "credit:review": None,
    "credit:tip_detail": pk("tip"),
    "credit:run_list": None,
    "credit:run_detail": pk("rating_run"),
    "credit:run_progress": pk("rating_run"),
    "credit:rating_export": None,
    "credit:supplier_standing": pk("supplier"),
    "credit:measure_acknowledge": pk("measure"),
    "credit:risk_notices": None,
    "credit:disclosure": None,
    "credit:tip_submit": None,
    "contracts:contract_list": None,
    "contracts:contract_export": None,
    "contracts:contracts_confirm_bulk": None,
    "contracts:contract_detail": pk("contract"),
    "contracts:contract_confirm": pk("contract"),
    "contracts:contract_renew": pk("contract"),
    "contracts:delivery_receive": pk("delivery"),
    "contracts:purchase_report": None,
    "contracts:purchase_template": None,
    "contracts:purchase_upload": pk("upload"),
    "contracts:settlement": None,
    "contracts:contracts_generate": pk(ER),
    "contracts:completion": pk(ER),
    "contracts:completion_city": in_round(ER, "city", "region_pk"),
    "contracts:supply_failure": pk(ER),
    "trading:relation_list": None,
    "trading:relation_create": None,
    "trading:relations_revoke_bulk": None,
    "trading:relation_detail": pk("relation"),
    "trading:relation_propose": pk("relation"),
    "trading:relation_delete": pk("relation"),
    "trading:relation_accept": pk("relation"),
    "trading:relation_refuse": pk("relation"),
    "trading:relation_revoke": pk("relation"),
    "trading:rule_sets": None,
    "trading:order_list": None,
    "trading:order_create": None,
    "trading:order_upload": None,
    "trading:order_upload_template": None,
    "trading:order_detail": pk("order"),
    "trading:order_line_add": pk("order"),
    "trading:order_send": pk("order"),
    "trading:order_line_remove": pk("order_line"),
    "trading:order_line_withdraw": pk("order_line"),
    "trading:order_line_confirm": pk("order_line"),
    "trading:order_line_refuse": pk("order_line"),
    "trading:order_ship": pk("order"),
    "trading:order_reorder": pk("order"),
    "trading:order_line_short_close": pk("order_line"),
    "trading:shipment_list": None,
    "trading:shipment_detail": pk("shipment"),
    "trading:shipment_arrive": pk("shipment"),
    "trading:shipment_line_receive": pk("shipment_line"),
    "trading:shipment_line_return": pk("shipment_line"),
    "trading:return_list": None,
    "trading:figures": None,
    "trading:return_approve": pk("return"),
    "trading:return_refuse": pk("return"),
    "trading:return_withdraw": pk("return"),
    "trading:address_list": None,
    "trading:address_create": None,
    "trading:address_edit": pk("address"),
    "pricing:home": None,
    "pricing:listing_apply": None,
    "pricing:listing_detail": pk("listing"),
    "pricing:listing_review": pk("listing"),
    "pricing:listing_price_request": pk("listing"),
    "pricing:listing_suspend": pk("listing"),
    "pricing:listing_price_review": pk("change"),
    "pricing:warning_detail": pk("warning"),
    "pricing:warning_act": pk("warning"),
    "pricing:run_checks": None,
    "pricing:standards": None,
    "pricing:declare_off_platform": None,
    "pricing:savings": None,
    "pricing:exposures": None,
    "region-list": None,
    "region-detail": pk("city"),
    "organisation-list": None,
    "organisation-detail": own_organisation,
    "user-list": None,
    "api-tokens-list": None,
    "api-tokens-revoke": None,
    "user-me": None,
    "user-me-tasks": None,
    "user-detail": own_user,
    "audit-entry-list": None,
    "audit-entry-verify": None,
    "audit-entry-detail": pk("audit"),
    "product-list": None,
    "product-detail": pk("product"),
    "product-import-list": None,
    "product-import-detail": pk("product_import"),
    "round-list": None,
    "round-detail": pk(R),
    "round-award-preview": pk(OR),
    "round-spec-ceilings": pk(R),
    "round-demand-summary": pk(R),
    "round-demand-upload": pk(R),
    "round-extend-demand": pk(R),
    "round-open": pk(R),
    "round-opening-table": pk(OR),
    "round-transition": pk(R),
    "group-list": None,
    "rule-set-list": None,
    "rule-set-detail": lambda objects, side, role: {"pk": objects[R][side].rule_set_id},
    "group-detail": pk("group"),
    "demand-list": None,
    "demand-detail": pk("demand"),
    "demand-choose": pk("demand"),
    "commitment-list": None,
    "commitment-detail": lambda objects, side, role: {"public_id": objects["commitment"][side].public_id},
    "bid-list": None,
    "bid-withdraw": None,
    "award-run-list": None,
    "award-run-detail": pk("run"),
    "award-run-compare": pk("run"),
    "award-run-lines": pk("run"),
    "award-run-publish": pk("run"),
    "award-run-revival": pk("run"),
    "award-outcome-list": None,
    "allocation-list": None,
    "contract-list": None,
    "contract-confirm-bulk": None,
    "contract-generate": None,
    "contract-detail": pk("contract"),
    "contract-confirm": pk("contract"),
    "contract-renew": pk("contract"),
    "purchase-list": None,
    "purchase-upload-list": None,
    "purchase-upload-detail": pk("upload"),
    "delivery-list": None,
    "delivery-detail": pk("delivery"),
    "delivery-receive": pk("delivery"),
    "supply-failure-list": None,
    "trading-rule-set-list": None,
    "trading-rule-set-detail": lambda objects, side, role: {"pk": objects["relation"][side].rule_set_id},
    "distribution-relation-list": None,
    "order-list": None,
    "order-detail": pk("order"),
    "order-send": pk("order"),
    "order-line-list": None,
    "order-line-detail": pk("order_line"),
    "order-line-confirm": pk("order_line"),
    "order-line-refuse": pk("order_line"),
    "order-line-withdraw": pk("order_line"),
    "order-line-short-close": pk("order_line"),
    "order-reorder": pk("order"),
    "order-message-list": None,
    "receipt-message-list": None,
    "shipment-list": None,
    "shipment-detail": pk("shipment"),
    "shipment-arrive": pk("shipment"),
    "shipment-line-list": None,
    "shipment-line-detail": pk("shipment_line"),
    "shipment-line-receive": pk("shipment_line"),
    "return-list": None,
    "return-detail": pk("return"),
    "return-approve": pk("return"),
    "return-refuse": pk("return"),
    "return-withdraw": pk("return"),
    "delivery-address-list": None,
    "delivery-address-detail": pk("address"),
    "distribution-relation-detail": pk("relation"),
    "distribution-relation-submit": pk("relation"),
    "distribution-relation-delete-draft": pk("relation"),
    "distribution-relation-accept": pk("relation"),
    "distribution-relation-refuse": pk("relation"),
    "distribution-relation-revoke": pk("relation"),
    "distribution-relation-revoke-bulk": None,
    "completion-detail": pk(ER),
    "settlement-list": None,
    "listing-list": None,
    "listing-review-change": change_id,
    "listing-detail": pk("listing"),
    "listing-history": pk("listing"),
    "listing-lift": pk("listing"),
    "listing-price": pk("listing"),
    "listing-review": pk("listing"),
    "listing-suspend": pk("listing"),
    "payment-standard-list": None,
    "price-warning-list": None,
    "price-warning-detail": pk("warning"),
    "price-warning-answer": pk("warning"),
    "price-warning-close": pk("warning"),
    "price-warning-inquire": pk("warning"),
    "price-warning-interview": pk("warning"),
    "savings-detail": pk(ER),
    "credit-catalog-version-list": None,
    "credit-catalog-version-detail": catalog_version,
    "credit-record-list": None,
    "credit-record-self-report": None,
    "credit-record-detail": pk("record"),
    "credit-record-decide": pk("record"),
    "credit-record-defend": pk("record"),
    "credit-record-notify": pk("record"),
    "credit-record-receive": pk("record"),
    "credit-record-revoke": pk("record"),
    "credit-tip-list": None,
    "credit-tip-detail": pk("tip"),
    "credit-tip-review": pk("tip"),
    "credit-repair-list": None,
    "credit-repair-detail": pk("repair"),
    "credit-repair-decide": pk("repair"),
    "credit-rating-list": None,
    "credit-rating-detail": pk("rating"),
    "credit-measure-list": None,
    "credit-measure-detail": pk("measure"),
    "credit-measure-acknowledge": pk("measure"),
    "credit-run-list": None,
    "credit-run-detail": pk("rating_run"),
    "credit-disclosure-list": None,
    "api-root": None,
    "api-token": None,
    "api-schema": None,
    "api-docs": None,
}

# Expected outcomes, reviewed route by route (see the module docstring for the tokens).
EXPECTED = {
    "trading:order_upload": {"GET": "login 403 403 403 403 ok 403", "POST": "login 403 403 403 403 ok 403"},
    "trading:order_upload_template": {"GET": "login 403 403 403 403 ok 403", "POST": "login 403 403 403 403 ok 403"},
    "trading:order_reorder": {
        "GET": ("405 405 405 405 405 405 405", "405 405 405 405 405 405 405"),
        "POST": ("login 403 403 403 403 ok 403", "login 403 403 403 403 404 403"),
    },
    "order-reorder": {
        "GET": ("403 405 405 405 405 405 405", "403 405 405 405 405 405 405"),
        "POST": ("403 403 403 403 403 ok 403", "403 403 403 403 403 404 403"),
    },
    "order-message-list": {"GET": "403 403 403 403 403 405 403", "POST": "403 403 403 403 403 invalid 403"},
    "receipt-message-list": {"GET": "403 403 403 403 403 405 403", "POST": "403 403 403 403 403 invalid 403"},
    "trading:figures": {"GET": "login ok ok ok ok ok ok", "POST": "login ok ok ok ok ok ok"},
    "trading:order_ship": {
        "GET": ("login 403 403 403 ok 403 ok", "login 403 403 403 ok 403 404"),
        "POST": ("login 403 403 403 ok 403 ok", "login 403 403 403 ok 403 404"),
    },
    "trading:order_line_short_close": {
        "GET": ("405 405 405 405 405 405 405", "405 405 405 405 405 405 405"),
        "POST": ("login 403 403 403 ok ok ok", "login 403 403 403 ok 404 404"),
    },
    "trading:shipment_detail": {
        "GET": ("login ok ok ok ok ok ok", "login ok ok ok ok 404 404"),
        "POST": ("login ok ok ok ok ok ok", "login ok ok ok ok 404 404"),
    },
    "trading:shipment_arrive": {
        "GET": ("405 405 405 405 405 405 405", "405 405 405 405 405 405 405"),
        "POST": ("login 403 403 403 ok 403 ok", "login 403 403 403 ok 403 404"),
    },
    "trading:shipment_line_receive": {
        "GET": ("405 405 405 405 405 405 405", "405 405 405 405 405 405 405"),
        "POST": ("login 403 403 403 403 ok 403", "login 403 403 403 403 404 403"),
    },
    "trading:shipment_line_return": {
        "GET": ("405 405 405 405 405 405 405", "405 405 405 405 405 405 405"),
        "POST": ("login 403 403 403 403 ok 403", "login 403 403 403 403 404 403"),
    },
    "trading:return_approve": {
        "GET": ("405 405 405 405 405 405 405", "405 405 405 405 405 405 405"),
        "POST": ("login 403 403 403 ok 403 ok", "login 403 403 403 ok 403 404"),
    },
    "trading:return_refuse": {
        "GET": ("405 405 405 405 405 405 405", "405 405 405 405 405 405 405"),
        "POST": ("login 403 403 403 ok 403 ok", "login 403 403 403 ok 403 404"),
    },
    "trading:return_withdraw": {
        "GET": ("405 405 405 405 405 405 405", "405 405 405 405 405 405 405"),
        "POST": ("login 403 403 403 403 ok 403", "login 403 403 403 403 404 403"),
    },
    "trading:shipment_list": {"GET": "login ok ok ok ok ok ok", "POST": "login ok ok ok ok ok ok"},
    "trading:return_list": {"GET": "login ok ok ok ok ok ok", "POST": "login ok ok ok ok ok ok"},
    "shipment-list": {"GET": "403 ok ok ok ok ok ok", "POST": "403 403 403 403 invalid 403 invalid"},
    "shipment-line-list": {"GET": "403 ok ok ok ok ok ok", "POST": "403 403 403 403 403 405 403"},
    "return-list": {"GET": "403 ok ok ok ok ok ok", "POST": "403 403 403 403 403 invalid 403"},
    "shipment-detail": {
        "GET": ("403 ok ok ok ok ok ok", "403 ok ok ok ok 404 404"),
        "POST": ("403 403 403 403 405 403 405", "403 403 403 403 405 403 405"),
        "PATCH": ("403 403 403 403 405 403 405", "403 403 403 403 405 403 405"),
        "DELETE": ("403 403 403 403 405 403 405", "403 403 403 403 405 403 405"),
    },
    "shipment-line-detail": {
        "GET": ("403 ok ok ok ok ok ok", "403 ok ok ok ok 404 404"),
        "POST": ("403 403 403 403 403 405 403", "403 403 403 403 403 405 403"),
        "PATCH": ("403 403 403 403 403 405 403", "403 403 403 403 403 405 403"),
        "DELETE": ("403 403 403 403 403 405 403", "403 403 403 403 403 405 403"),
    },
    "return-detail": {
        "GET": ("403 ok ok ok ok ok ok", "403 ok ok ok ok 404 404"),
        "POST": ("403 403 403 403 405 405 405", "403 403 403 403 405 405 405"),
        "PATCH": ("403 403 403 403 405 405 405", "403 403 403 403 405 405 405"),
        "DELETE": ("403 403 403 403 405 405 405", "403 403 403 403 405 405 405"),
    },
    "order-line-short-close": {
        "GET": ("403 403 403 403 405 405 405", "403 403 403 403 405 405 405"),
        "POST": ("403 403 403 403 invalid invalid invalid", "403 403 403 403 invalid 404 404"),
    },
    "shipment-arrive": {
        "GET": ("403 405 405 405 405 405 405", "403 405 405 405 405 405 405"),
        "POST": ("403 403 403 403 invalid 403 invalid", "403 403 403 403 invalid 403 404"),
    },
    "shipment-line-receive": {
        "GET": ("403 405 405 405 405 405 405", "403 405 405 405 405 405 405"),
        "POST": ("403 403 403 403 403 invalid 403", "403 403 403 403 403 404 403"),
    },
    "return-approve": {
        "GET": ("403 403 403 403 405 403 405", "403 403 403 403 405 403 405"),
        "POST": ("403 403 403 403 invalid 403 ok", "403 403 403 403 invalid 403 404"),
    },
    "return-refuse": {
        "GET": ("403 403 403 403 405 403 405", "403 403 403 403 405 403 405"),
        "POST": ("403 403 403 403 invalid 403 invalid", "403 403 403 403 invalid 403 404"),
    },
    "return-withdraw": {
        "GET": ("403 403 403 403 403 405 403", "403 403 403 403 403 405 403"),
        "POST": ("403 403 403 403 403 ok 403", "403 403 403 403 403 404 403"),
    },
    "trading:order_list": {"GET": "login ok ok ok ok ok ok", "POST": "login ok ok ok ok ok ok"},
    "trading:order_create": {"GET": "login 403 403 403 403 ok 403", "POST": "login 403 403 403 403 ok 403"},
    "trading:order_detail": {
        "GET": ("login ok ok ok ok ok ok", "login ok ok ok ok 404 404"),
        "POST": ("login ok ok ok ok ok ok", "login ok ok ok ok 404 404"),
    },
    "trading:order_line_add": {
        "GET": ("405 405 405 405 405 405 405", "405 405 405 405 405 405 405"),
        "POST": ("login 403 403 403 403 ok 403", "login 403 403 403 403 404 403"),
    },
    "trading:order_send": {
        "GET": ("405 405 405 405 405 405 405", "405 405 405 405 405 405 405"),
        "POST": ("login 403 403 403 403 ok 403", "login 403 403 403 403 404 403"),
    },
    "trading:order_line_remove": {
        "GET": ("405 405 405 405 405 405 405", "405 405 405 405 405 405 405"),
        "POST": ("login 403 403 403 403 ok 403", "login 403 403 403 403 404 403"),
    },
    "trading:order_line_withdraw": {
        "GET": ("405 405 405 405 405 405 405", "405 405 405 405 405 405 405"),
        "POST": ("login 403 403 403 403 ok 403", "login 403 403 403 403 404 403"),
    },
    "trading:order_line_confirm": {
        "GET": ("405 405 405 405 405 405 405", "405 405 405 405 405 405 405"),
        "POST": ("login 403 403 403 ok 403 ok", "login 403 403 403 ok 403 404"),
    },
    "trading:order_line_refuse": {
        "GET": ("405 405 405 405 405 405 405", "405 405 405 405 405 405 405"),
        "POST": ("login 403 403 403 ok 403 ok", "login 403 403 403 ok 403 404"),
    },
    "order-list": {"GET": "403 ok ok ok ok ok ok", "POST": "403 403 403 403 403 invalid 403"},
    "order-detail": {
        "GET": ("403 ok ok ok ok ok ok", "403 ok ok ok ok 404 404"),
        "POST": ("403 403 403 403 403 405 403", "403 403 403 403 403 405 403"),
        "PATCH": ("403 403 403 403 403 405 403", "403 403 403 403 403 405 403"),
        "DELETE": ("403 403 403 403 403 405 403", "403 403 403 403 403 405 403"),
    },
    "order-send": {
        "GET": ("403 405 405 405 405 405 405", "403 405 405 405 405 405 405"),
        "POST": ("403 403 403 403 403 invalid 403", "403 403 403 403 403 404 403"),
    },
    "order-line-list": {"GET": "403 ok ok ok ok ok ok", "POST": "403 403 403 403 405 405 405"},
    "order-line-detail": {
        "GET": ("403 ok ok ok ok ok ok", "403 ok ok ok ok 404 404"),
        "POST": ("403 403 403 403 405 405 405", "403 403 403 403 405 405 405"),
        "PATCH": ("403 403 403 403 405 405 405", "403 403 403 403 405 405 405"),
        "DELETE": ("403 403 403 403 405 405 405", "403 403 403 403 405 405 405"),
    },
    "order-line-confirm": {
        "GET": ("403 403 403 403 405 403 405", "403 403 403 403 405 403 405"),
        "POST": ("403 403 403 403 invalid 403 invalid", "403 403 403 403 invalid 403 404"),
    },
    "order-line-refuse": {
        "GET": ("403 403 403 403 405 403 405", "403 403 403 403 405 403 405"),
        "POST": ("403 403 403 403 invalid 403 invalid", "403 403 403 403 invalid 403 404"),
    },
    "order-line-withdraw": {
        "GET": ("403 403 403 403 403 405 403", "403 403 403 403 403 405 403"),
        "POST": ("403 403 403 403 403 ok 403", "403 403 403 403 403 404 403"),
    },
    "trading:address_list": {"GET": "login ok ok ok 403 ok 403", "POST": "login ok ok ok 403 ok 403"},
    "trading:address_create": {"GET": "login ok 403 ok 403 ok 403", "POST": "login ok 403 ok 403 ok 403"},
    "trading:address_edit": {
        "GET": ("login ok 403 ok 403 ok 403", "login ok 403 ok 403 404 403"),
        "POST": ("login ok 403 ok 403 ok 403", "login ok 403 ok 403 404 403"),
    },
    "delivery-address-list": {"GET": "403 ok ok ok 403 ok 403", "POST": "403 invalid 403 invalid 403 invalid 403"},
    "delivery-address-detail": {
        "GET": ("403 ok ok ok 403 ok 403", "403 ok ok ok 403 404 403"),
        "POST": ("403 405 403 405 403 405 403", "403 405 403 405 403 405 403"),
        "PATCH": ("403 ok 403 ok 403 ok 403", "403 ok 403 ok 403 404 403"),
        "DELETE": ("403 405 403 405 403 405 403", "403 405 403 405 403 405 403"),
    },
    "trading:relation_list": {"GET": "login ok ok ok ok 403 ok", "POST": "login ok ok ok ok 403 ok"},
    "trading:relation_create": {"GET": "login 403 403 403 ok 403 403", "POST": "login 403 403 403 ok 403 403"},
    "trading:relations_revoke_bulk": {"GET": "405 405 405 405 405 405 405", "POST": "login ok 403 ok 403 403 403"},
    "trading:rule_sets": {"GET": "login ok ok ok ok ok ok", "POST": "login ok ok ok ok ok ok"},
    "trading-rule-set-list": {"GET": "403 ok ok ok ok ok ok", "POST": "403 405 405 405 405 405 405"},
    "distribution-relation-list": {"GET": "403 ok ok ok ok 403 ok", "POST": "403 403 403 403 invalid 403 403"},
    "distribution-relation-revoke-bulk": {
        "GET": "403 405 403 405 403 403 403",
        "POST": "403 invalid 403 invalid 403 403 403",
    },
    "trading:relation_detail": {
        "GET": ("login ok ok ok ok 403 ok", "login ok ok ok 404 403 404"),
        "POST": ("login ok ok ok ok 403 ok", "login ok ok ok 404 403 404"),
    },
    "trading:relation_propose": {
        "GET": ("405 405 405 405 405 405 405", "405 405 405 405 405 405 405"),
        "POST": ("login 403 403 403 ok 403 403", "login 403 403 403 404 403 403"),
    },
    "trading:relation_delete": {
        "GET": ("405 405 405 405 405 405 405", "405 405 405 405 405 405 405"),
        "POST": ("login 403 403 403 ok 403 403", "login 403 403 403 404 403 403"),
    },
    "trading:relation_accept": {
        "GET": ("405 405 405 405 405 405 405", "405 405 405 405 405 405 405"),
        "POST": ("login 403 403 403 ok 403 ok", "login 403 403 403 404 403 404"),
    },
    "trading:relation_refuse": {
        "GET": ("405 405 405 405 405 405 405", "405 405 405 405 405 405 405"),
        "POST": ("login 403 403 403 ok 403 ok", "login 403 403 403 404 403 404"),
    },
    "trading:relation_revoke": {
        "GET": ("405 405 405 405 405 405 405", "405 405 405 405 405 405 405"),
        "POST": ("login ok 403 ok ok 403 ok", "login ok 403 ok 404 403 404"),
    },
    "trading-rule-set-detail": {
        "GET": ("403 ok ok ok ok ok ok", "403 ok ok ok ok ok ok"),
        "POST": ("403 405 405 405 405 405 405", "403 405 405 405 405 405 405"),
        "PATCH": ("403 405 405 405 405 405 405", "403 405 405 405 405 405 405"),
        "DELETE": ("403 405 405 405 405 405 405", "403 405 405 405 405 405 405"),
    },
    "distribution-relation-detail": {
        "GET": ("403 ok ok ok ok 403 ok", "403 ok ok ok 404 403 404"),
        "POST": ("403 405 405 405 405 403 405", "403 405 405 405 405 403 405"),
        "PATCH": ("403 405 405 405 405 403 405", "403 405 405 405 405 403 405"),
        "DELETE": ("403 405 405 405 405 403 405", "403 405 405 405 405 403 405"),
    },
    "distribution-relation-submit": {
        "GET": ("403 403 403 403 405 403 403", "403 403 403 403 405 403 403"),
        "POST": ("403 403 403 403 invalid 403 403", "403 403 403 403 404 403 403"),
    },
    "distribution-relation-delete-draft": {
        "GET": ("403 403 403 403 405 403 403", "403 403 403 403 405 403 403"),
        "POST": ("403 403 403 403 invalid 403 403", "403 403 403 403 404 403 403"),
    },
    "distribution-relation-accept": {
        "GET": ("403 403 403 403 405 403 405", "403 403 403 403 405 403 405"),
        "POST": ("403 403 403 403 invalid 403 ok", "403 403 403 403 404 403 404"),
    },
    "distribution-relation-refuse": {
        "GET": ("403 403 403 403 405 403 405", "403 403 403 403 405 403 405"),
        "POST": ("403 403 403 403 invalid 403 invalid", "403 403 403 403 404 403 404"),
    },
    "distribution-relation-revoke": {
        "GET": ("403 405 403 405 405 403 405", "403 405 403 405 405 403 405"),
        "POST": ("403 invalid 403 invalid invalid 403 invalid", "403 invalid 403 invalid 404 403 404"),
    },
    "ocds-detail": {
        "GET": ("ok ok ok ok ok ok ok", "ok ok ok ok ok ok ok"),
        "POST": ("405 405 405 405 405 405 405", "405 405 405 405 405 405 405"),
        "PATCH": ("405 405 405 405 405 405 405", "405 405 405 405 405 405 405"),
        "DELETE": ("405 405 405 405 405 405 405", "405 405 405 405 405 405 405"),
    },
    "public:open_data": {"GET": "ok ok ok ok ok ok ok", "POST": "405 405 405 405 405 405 405"},
    # The award rule sets are published with every procurement document: anyone reads them, nobody changes them.
    "public:rule_set_list": {"GET": "ok ok ok ok ok ok ok", "POST": "405 405 405 405 405 405 405"},
    "public:rule_set_detail": {
        "GET": ("ok ok ok ok ok ok ok", "ok ok ok ok ok ok ok"),
        "POST": ("405 405 405 405 405 405 405", "405 405 405 405 405 405 405"),
    },
    "rule-set-list": {"GET": "403 ok ok ok ok ok ok", "POST": "403 405 405 405 405 405 405"},
    "rule-set-detail": {
        "GET": ("403 ok ok ok ok ok ok", "403 ok ok ok ok ok ok"),
        "POST": ("403 405 405 405 405 405 405", "403 405 405 405 405 405 405"),
        "PATCH": ("403 405 405 405 405 405 405", "403 405 405 405 405 405 405"),
        "DELETE": ("403 405 405 405 405 405 405", "403 405 405 405 405 405 405"),
    },
    "public:open_data_package": {
        "GET": ("ok ok ok ok ok ok ok", "ok ok ok ok ok ok ok"),
        "POST": ("405 405 405 405 405 405 405", "405 405 405 405 405 405 405"),
    },
    "accounts:audit_entry": {
        "GET": ("login ok ok ok 403 403 403", "login ok ok ok 403 403 403"),
        "POST": ("login ok ok ok 403 403 403", "login ok ok ok 403 403 403"),
    },
    "accounts:audit_list": {"GET": "login ok ok ok 403 403 403", "POST": "login ok ok ok 403 403 403"},
    "accounts:audit_verification": {"GET": "login ok ok ok 403 403 403", "POST": "login ok ok ok 403 403 403"},
    "accounts:home": {"GET": "login ok ok ok ok ok ok", "POST": "login ok ok ok ok ok ok"},
    "accounts:login": {"GET": "ok ok ok ok ok ok ok", "POST": "ok ok ok ok ok ok ok"},
    "accounts:logout": {"GET": "405 405 405 405 405 405 405", "POST": "login login login login login login login"},
    "accounts:notification_list": {"GET": "login ok ok ok ok ok ok", "POST": "login ok ok ok ok ok ok"},
    "accounts:api_tokens": {"GET": "login ok ok ok ok ok ok", "POST": "login ok ok ok ok ok ok"},
    "accounts:organisation_create": {"GET": "login ok 403 ok 403 403 403", "POST": "login ok 403 ok 403 403 403"},
    "accounts:organisation_detail": {
        "GET": ("login ok ok ok 403 403 403", "login ok ok ok 403 403 403"),
        "POST": ("login ok ok ok 403 403 403", "login ok ok ok 403 403 403"),
    },
    "accounts:organisation_edit": {
        "GET": ("login ok 403 ok 403 403 403", "login ok 403 ok 403 403 403"),
        "POST": ("login ok 403 ok 403 403 403", "login ok 403 ok 403 403 403"),
    },
    "accounts:organisation_list": {"GET": "login ok ok ok 403 403 403", "POST": "login ok ok ok 403 403 403"},
    "accounts:password_change": {"GET": "login ok ok ok ok ok ok", "POST": "login ok ok ok ok ok ok"},
    "accounts:password_change_done": {"GET": "login ok ok ok ok ok ok", "POST": "login 405 405 405 405 405 405"},
    "accounts:second_factor": {"GET": "login ok ok ok ok ok ok", "POST": "login ok ok ok ok ok ok"},
    "allocation-list": {"GET": "403 ok ok ok ok ok ok", "POST": "403 405 405 405 405 405 405"},
    "api-docs": {"GET": "ok ok ok ok ok ok ok", "POST": "405 405 405 405 405 405 405"},
    "api-root": {"GET": "403 ok ok ok ok ok ok", "POST": "403 405 405 405 405 405 405"},
    "api-schema": {"GET": "ok ok ok ok ok ok ok", "POST": "405 405 405 405 405 405 405"},
    "api-token": {
        "GET": "405 405 405 405 405 405 405",
        "POST": "invalid invalid invalid invalid invalid invalid invalid",
    },
    "audit-entry-detail": {
        "GET": ("403 ok ok ok 403 403 403", "403 ok ok ok 403 403 403"),
        "POST": ("403 405 405 405 403 403 403", "403 405 405 405 403 403 403"),
        "PATCH": ("403 405 405 405 403 403 403", "403 405 405 405 403 403 403"),
        "DELETE": ("403 405 405 405 403 403 403", "403 405 405 405 403 403 403"),
    },
    "audit-entry-list": {"GET": "403 ok ok ok 403 403 403", "POST": "403 405 405 405 403 403 403"},
    "audit-entry-verify": {"GET": "403 405 405 405 403 403 403", "POST": "403 ok ok ok 403 403 403"},
    "award-outcome-list": {"GET": "403 ok ok ok ok ok ok", "POST": "403 405 405 405 405 405 405"},
    "award-run-compare": {
        "GET": ("403 invalid 403 invalid 403 403 403", "403 invalid 403 invalid 403 403 403"),
        "POST": ("403 405 403 405 403 403 403", "403 405 403 405 403 403 403"),
    },
    "award-run-detail": {
        "GET": ("403 ok 403 ok 403 403 403", "403 ok 403 ok 403 403 403"),
        "POST": ("403 405 403 405 403 403 403", "403 405 403 405 403 403 403"),
        "PATCH": ("403 405 403 405 403 403 403", "403 405 403 405 403 403 403"),
        "DELETE": ("403 405 403 405 403 403 403", "403 405 403 405 403 403 403"),
    },
    "award-run-lines": {
        "GET": ("403 ok 403 ok 403 403 403", "403 ok 403 ok 403 403 403"),
        "POST": ("403 405 403 405 403 403 403", "403 405 403 405 403 403 403"),
    },
    "award-run-list": {"GET": "403 ok 403 ok 403 403 403", "POST": "403 invalid 403 invalid 403 403 403"},
    "award-run-publish": {
        "GET": ("403 405 403 405 403 403 403", "403 405 403 405 403 403 403"),
        "POST": ("403 invalid 403 invalid 403 403 403", "403 invalid 403 invalid 403 403 403"),
    },
    "award-run-revival": {
        "GET": ("403 405 403 405 403 403 403", "403 405 403 405 403 403 403"),
        "POST": ("403 invalid 403 invalid 403 403 403", "403 invalid 403 invalid 403 403 403"),
    },
    "bid-list": {"GET": "403 403 403 403 ok 403 403", "POST": "403 403 403 403 invalid 403 403"},
    "bid-withdraw": {"GET": "403 403 403 403 405 403 403", "POST": "403 403 403 403 invalid 403 403"},
    "commitment-detail": {
        "GET": ("403 ok ok ok ok 404 404", "403 ok ok ok 404 404 404"),
        "POST": ("403 403 403 403 405 403 403", "403 403 403 403 405 403 403"),
        "PATCH": ("403 403 403 403 405 403 403", "403 403 403 403 405 403 403"),
        "DELETE": ("403 403 403 403 405 403 403", "403 403 403 403 405 403 403"),
    },
    "commitment-list": {"GET": "403 ok ok ok ok ok ok", "POST": "403 403 403 403 invalid 403 403"},
    "completion-detail": {
        "GET": ("403 ok ok ok 403 403 403", "403 ok ok ok 403 403 403"),
        "POST": ("403 403 403 403 403 403 403", "403 403 403 403 403 403 403"),
        "PATCH": ("403 403 403 403 403 403 403", "403 403 403 403 403 403 403"),
        "DELETE": ("403 403 403 403 403 403 403", "403 403 403 403 403 403 403"),
    },
    "contract-confirm": {
        "GET": ("403 405 405 405 405 405 403", "403 405 405 405 405 405 403"),
        "POST": ("403 invalid 403 invalid ok ok 403", "403 invalid 403 invalid 404 404 403"),
    },
    "contract-confirm-bulk": {"GET": "403 405 403 405 403 403 403", "POST": "403 invalid 403 invalid 403 403 403"},
    "contract-detail": {
        "GET": ("403 ok ok ok ok ok 403", "403 ok ok ok 404 404 403"),
        "POST": ("403 405 403 405 405 405 403", "403 405 403 405 405 405 403"),
        "PATCH": ("403 405 403 405 405 405 403", "403 405 403 405 405 405 403"),
        "DELETE": ("403 405 403 405 405 405 403", "403 405 403 405 405 405 403"),
    },
    "contract-generate": {"GET": "403 405 403 405 403 403 403", "POST": "403 invalid 403 invalid 403 403 403"},
    "contract-list": {"GET": "403 ok ok ok ok ok 403", "POST": "403 405 403 405 405 405 403"},
    "contract-renew": {
        "GET": ("403 405 403 405 403 403 403", "403 405 403 405 403 403 403"),
        "POST": ("403 invalid 403 invalid 403 403 403", "403 invalid 403 invalid 403 403 403"),
    },
    "contracts:completion": {
        "GET": ("login ok ok ok 403 403 403", "login ok ok ok 403 403 403"),
        "POST": ("login ok ok ok 403 403 403", "login ok ok ok 403 403 403"),
    },
    "contracts:completion_city": {
        "GET": ("login ok ok ok 403 403 403", "login ok ok ok 403 403 403"),
        "POST": ("login ok ok ok 403 403 403", "login ok ok ok 403 403 403"),
    },
    "contracts:contract_confirm": {
        "GET": ("405 405 405 405 405 405 405", "405 405 405 405 405 405 405"),
        "POST": ("login 403 403 403 ok ok 403", "login 403 403 403 404 404 403"),
    },
    "contracts:contract_detail": {
        "GET": ("login ok ok ok ok ok 403", "login ok ok ok 404 404 403"),
        "POST": ("login ok ok ok ok ok 403", "login ok ok ok 404 404 403"),
    },
    "contracts:contract_export": {"GET": "login ok ok ok ok ok 403", "POST": "login ok ok ok ok ok 403"},
    "contracts:contract_list": {"GET": "login ok ok ok ok ok 403", "POST": "login ok ok ok ok ok 403"},
    "contracts:contract_renew": {
        "GET": ("405 405 405 405 405 405 405", "405 405 405 405 405 405 405"),
        "POST": ("login ok 403 ok 403 403 403", "login ok 403 ok 403 403 403"),
    },
    "contracts:contracts_confirm_bulk": {"GET": "405 405 405 405 405 405 405", "POST": "login ok 403 ok 403 403 403"},
    "contracts:contracts_generate": {
        "GET": ("405 405 405 405 405 405 405", "405 405 405 405 405 405 405"),
        "POST": ("login ok 403 ok 403 403 403", "login ok 403 ok 403 403 403"),
    },
    "contracts:delivery_receive": {
        "GET": ("405 405 405 405 405 405 405", "405 405 405 405 405 405 405"),
        "POST": ("login 403 403 403 403 ok 403", "login 403 403 403 403 404 403"),
    },
    "contracts:purchase_report": {"GET": "login 403 403 403 403 ok 403", "POST": "login 403 403 403 403 invalid 403"},
    "contracts:purchase_template": {"GET": "login 403 403 403 403 ok 403", "POST": "login 403 403 403 403 ok 403"},
    "contracts:purchase_upload": {
        "GET": ("login ok ok ok 403 ok 403", "login ok ok ok 403 404 403"),
        "POST": ("login ok ok ok 403 ok 403", "login ok ok ok 403 404 403"),
    },
    "contracts:settlement": {"GET": "login ok ok ok ok ok 403", "POST": "login ok ok ok ok ok 403"},
    "contracts:supply_failure": {
        "GET": ("login ok 403 ok ok 403 403", "login ok 403 ok ok 403 403"),
        "POST": ("login ok 403 ok ok 403 403", "login ok 403 ok ok 403 403"),
    },
    "credit-catalog-version-detail": {
        "GET": ("ok ok ok ok ok ok ok", "ok ok ok ok ok ok ok"),
        "POST": ("405 405 405 405 405 405 405", "405 405 405 405 405 405 405"),
        "PATCH": ("405 405 405 405 405 405 405", "405 405 405 405 405 405 405"),
        "DELETE": ("405 405 405 405 405 405 405", "405 405 405 405 405 405 405"),
    },
    "credit-catalog-version-list": {"GET": "ok ok ok ok ok ok ok", "POST": "405 405 405 405 405 405 405"},
    "credit-disclosure-list": {"GET": "ok ok ok ok ok ok ok", "POST": "405 405 405 405 405 405 405"},
    "credit-measure-acknowledge": {
        "GET": ("403 405 405 405 405 405 405", "403 405 405 405 405 405 405"),
        "POST": ("403 403 403 403 invalid 403 403", "403 403 403 403 404 403 403"),
    },
    "credit-measure-detail": {
        "GET": ("403 ok ok ok ok ok 404", "403 ok ok ok 404 ok 404"),
        "POST": ("403 403 403 403 405 403 403", "403 403 403 403 405 403 403"),
        "PATCH": ("403 403 403 403 405 403 403", "403 403 403 403 405 403 403"),
        "DELETE": ("403 403 403 403 405 403 403", "403 403 403 403 405 403 403"),
    },
    "credit-measure-list": {"GET": "403 ok ok ok ok ok ok", "POST": "403 403 403 403 405 403 403"},
    "credit-rating-detail": {
        "GET": ("403 ok ok ok ok 403 403", "403 ok ok ok 404 403 403"),
        "POST": ("403 403 403 403 403 403 403", "403 403 403 403 403 403 403"),
        "PATCH": ("403 403 403 403 403 403 403", "403 403 403 403 403 403 403"),
        "DELETE": ("403 403 403 403 403 403 403", "403 403 403 403 403 403 403"),
    },
    "credit-rating-list": {"GET": "403 ok ok ok ok 403 403", "POST": "403 403 403 403 403 403 403"},
    "credit-record-decide": {
        "GET": ("403 403 405 405 403 403 403", "403 403 405 405 403 403 403"),
        "POST": ("403 403 invalid invalid 403 403 403", "403 403 invalid invalid 403 403 403"),
    },
    "credit-record-defend": {
        "GET": ("403 403 403 403 405 403 403", "403 403 403 403 405 403 403"),
        "POST": ("403 403 403 403 invalid 403 403", "403 403 403 403 404 403 403"),
    },
    "credit-record-detail": {
        "GET": ("403 ok ok ok ok 403 403", "403 ok ok ok 404 403 403"),
        "POST": ("403 403 405 405 405 403 403", "403 403 405 405 405 403 403"),
        "PATCH": ("403 403 405 405 405 403 403", "403 403 405 405 405 403 403"),
        "DELETE": ("403 403 405 405 405 403 403", "403 403 405 405 405 403 403"),
    },
    "credit-record-list": {"GET": "403 ok ok ok ok 403 403", "POST": "403 403 invalid invalid 403 403 403"},
    "credit-record-notify": {
        "GET": ("403 403 405 405 403 403 403", "403 403 405 405 403 403 403"),
        "POST": ("403 403 invalid invalid 403 403 403", "403 403 invalid invalid 403 403 403"),
    },
    "credit-record-receive": {
        "GET": ("403 403 403 403 405 403 403", "403 403 403 403 405 403 403"),
        "POST": ("403 403 403 403 ok 403 403", "403 403 403 403 404 403 403"),
    },
    "credit-record-revoke": {
        "GET": ("403 403 405 405 403 403 403", "403 403 405 405 403 403 403"),
        "POST": ("403 403 invalid invalid 403 403 403", "403 403 invalid invalid 403 403 403"),
    },
    "credit-record-self-report": {"GET": "403 405 405 405 405 403 403", "POST": "403 403 403 403 invalid 403 403"},
    "credit-repair-decide": {
        "GET": ("403 403 405 405 403 403 403", "403 403 405 405 403 403 403"),
        "POST": ("403 403 invalid invalid 403 403 403", "403 403 invalid invalid 403 403 403"),
    },
    "credit-repair-detail": {
        "GET": ("403 ok ok ok ok 403 403", "403 ok ok ok 404 403 403"),
        "POST": ("403 403 403 403 405 403 403", "403 403 403 403 405 403 403"),
        "PATCH": ("403 403 403 403 405 403 403", "403 403 403 403 405 403 403"),
        "DELETE": ("403 403 403 403 405 403 403", "403 403 403 403 405 403 403"),
    },
    "credit-repair-list": {"GET": "403 ok ok ok ok 403 403", "POST": "403 403 403 403 invalid 403 403"},
    "credit-run-detail": {
        "GET": ("403 ok ok ok 403 403 403", "403 ok ok ok 403 403 403"),
        "POST": ("403 403 405 405 403 403 403", "403 403 405 405 403 403 403"),
        "PATCH": ("403 403 405 405 403 403 403", "403 403 405 405 403 403 403"),
        "DELETE": ("403 403 405 405 403 403 403", "403 403 405 405 403 403 403"),
    },
    "credit-run-list": {"GET": "403 ok ok ok 403 403 403", "POST": "403 403 ok ok 403 403 403"},
    "credit-tip-detail": {
        "GET": ("403 403 ok ok 403 403 403", "403 403 ok ok 403 403 403"),
        "POST": ("403 403 405 405 403 403 403", "403 403 405 405 403 403 403"),
        "PATCH": ("403 403 405 405 403 403 403", "403 403 405 405 403 403 403"),
        "DELETE": ("403 403 405 405 403 403 403", "403 403 405 405 403 403 403"),
    },
    "credit-tip-list": {
        "GET": "403 403 ok ok 403 403 403",
        "POST": "invalid invalid invalid invalid invalid invalid invalid",
    },
    "credit-tip-review": {
        "GET": ("403 403 405 405 403 403 403", "403 403 405 405 403 403 403"),
        "POST": ("403 403 invalid invalid 403 403 403", "403 403 invalid invalid 403 403 403"),
    },
    "credit:catalog": {"GET": "ok ok ok ok ok ok ok", "POST": "ok ok ok ok ok ok ok"},
    "credit:disclosure": {"GET": "ok ok ok ok ok ok ok", "POST": "ok ok ok ok ok ok ok"},
    "credit:evidence_download": {
        "GET": ("login 404 404 404 404 404 404", "login 404 404 404 404 404 404"),
        "POST": ("login 404 404 404 404 404 404", "login 404 404 404 404 404 404"),
    },
    "credit:home": {"GET": "login ok ok ok ok ok 404", "POST": "login ok ok ok ok ok 404"},
    "credit:measure_acknowledge": {
        "GET": ("405 405 405 405 405 405 405", "405 405 405 405 405 405 405"),
        "POST": ("login 403 403 403 ok 403 403", "login 403 403 403 404 403 403"),
    },
    "credit:rating_export": {"GET": "login ok ok ok 403 403 403", "POST": "login ok ok ok 403 403 403"},
    "credit:record_create": {"GET": "login 403 ok ok 403 403 403", "POST": "login 403 ok ok 403 403 403"},
    "credit:record_decide": {
        "GET": ("405 405 405 405 405 405 405", "405 405 405 405 405 405 405"),
        "POST": ("login 403 ok ok 403 403 403", "login 403 ok ok 403 403 403"),
    },
    "credit:record_acknowledge": {
        "GET": ("405 405 405 405 405 405 405", "405 405 405 405 405 405 405"),
        "POST": ("login 403 403 403 ok 403 403", "login 403 403 403 404 403 403"),
    },
    "credit:record_defend": {
        "GET": ("405 405 405 405 405 405 405", "405 405 405 405 405 405 405"),
        "POST": ("login 403 403 403 ok 403 403", "login 403 403 403 404 403 403"),
    },
    "credit:record_detail": {
        "GET": ("login ok ok ok ok 403 403", "login ok ok ok 404 403 403"),
        "POST": ("login ok ok ok ok 403 403", "login ok ok ok 404 403 403"),
    },
    "credit:record_export": {"GET": "login ok ok ok 403 403 403", "POST": "login ok ok ok 403 403 403"},
    "credit:record_list": {"GET": "login ok ok ok ok 403 403", "POST": "login ok ok ok ok 403 403"},
    "credit:record_notify": {
        "GET": ("405 405 405 405 405 405 405", "405 405 405 405 405 405 405"),
        "POST": ("login 403 ok ok 403 403 403", "login 403 ok ok 403 403 403"),
    },
    "credit:record_revoke": {
        "GET": ("405 405 405 405 405 405 405", "405 405 405 405 405 405 405"),
        "POST": ("login 403 ok ok 403 403 403", "login 403 ok ok 403 403 403"),
    },
    "credit:repair_apply": {
        "GET": ("login 403 403 403 ok 403 403", "login 403 403 403 404 403 403"),
        "POST": ("login 403 403 403 ok 403 403", "login 403 403 403 404 403 403"),
    },
    "credit:repair_decide": {
        "GET": ("405 405 405 405 405 405 405", "405 405 405 405 405 405 405"),
        "POST": ("login 403 ok ok 403 403 403", "login 403 ok ok 403 403 403"),
    },
    "credit:review": {"GET": "login 403 ok ok 403 403 403", "POST": "login 403 ok ok 403 403 403"},
    "credit:risk_notices": {"GET": "login ok ok ok 403 ok 403", "POST": "login ok ok ok 403 ok 403"},
    "credit:run_detail": {
        "GET": ("login ok ok ok 403 403 403", "login ok ok ok 403 403 403"),
        "POST": ("login ok ok ok 403 403 403", "login ok ok ok 403 403 403"),
    },
    "credit:run_list": {"GET": "login ok ok ok 403 403 403", "POST": "login 403 ok ok 403 403 403"},
    "credit:run_progress": {
        "GET": ("login ok ok ok 403 403 403", "login ok ok ok 403 403 403"),
        "POST": ("login ok ok ok 403 403 403", "login ok ok ok 403 403 403"),
    },
    "credit:self_report": {"GET": "login 403 403 403 ok 403 403", "POST": "login 403 403 403 ok 403 403"},
    "credit:supplier_standing": {
        "GET": ("login ok ok ok 403 403 403", "login ok ok ok 403 403 403"),
        "POST": ("login ok ok ok 403 403 403", "login ok ok ok 403 403 403"),
    },
    "credit:tip_detail": {
        "GET": ("login 403 ok ok 403 403 403", "login 403 ok ok 403 403 403"),
        "POST": ("login 403 ok ok 403 403 403", "login 403 ok ok 403 403 403"),
    },
    "credit:tip_submit": {"GET": "ok ok ok ok ok ok ok", "POST": "ok ok ok ok ok ok ok"},
    "delivery-detail": {
        "GET": ("403 ok ok ok ok ok 403", "403 ok ok ok 404 404 403"),
        "POST": ("403 403 403 403 405 403 403", "403 403 403 403 405 403 403"),
        "PATCH": ("403 403 403 403 405 403 403", "403 403 403 403 405 403 403"),
        "DELETE": ("403 403 403 403 405 403 403", "403 403 403 403 405 403 403"),
    },
    "delivery-list": {"GET": "403 ok ok ok ok ok 403", "POST": "403 403 403 403 invalid 403 403"},
    "delivery-receive": {
        "GET": ("403 403 403 403 403 405 403", "403 403 403 403 403 405 403"),
        "POST": ("403 403 403 403 403 ok 403", "403 403 403 403 403 404 403"),
    },
    "demand-choose": {
        "GET": ("403 405 405 405 405 405 405", "403 405 405 405 405 405 405"),
        "POST": ("403 403 403 403 403 invalid 403", "403 403 403 403 403 404 403"),
    },
    "demand-detail": {
        "GET": ("403 ok ok ok 404 ok 404", "403 ok ok ok 404 404 404"),
        "POST": ("403 403 403 403 403 405 403", "403 403 403 403 403 405 403"),
        "PATCH": ("403 403 403 403 403 405 403", "403 403 403 403 403 405 403"),
        "DELETE": ("403 403 403 403 403 405 403", "403 403 403 403 403 405 403"),
    },
    "demand-list": {"GET": "403 ok ok ok ok ok ok", "POST": "403 403 403 403 403 invalid 403"},
    "group-detail": {
        "GET": ("403 ok ok ok ok ok ok", "403 ok ok ok ok ok ok"),
        "POST": ("403 405 403 405 403 403 403", "403 405 403 405 403 403 403"),
        "PATCH": ("403 invalid 403 invalid 403 403 403", "403 invalid 403 invalid 403 403 403"),
        "DELETE": ("403 405 403 405 403 403 403", "403 405 403 405 403 403 403"),
    },
    "group-list": {"GET": "403 ok ok ok ok ok ok", "POST": "403 invalid 403 invalid 403 403 403"},
    "healthz": {"GET": "ok ok ok ok ok ok ok", "POST": "ok ok ok ok ok ok ok"},
    "favicon": {"GET": "ok ok ok ok ok ok ok"},
    "listing-detail": {
        "GET": ("403 ok ok ok ok ok ok", "403 ok ok ok ok ok ok"),
        "POST": ("403 405 403 405 405 403 403", "403 405 403 405 405 403 403"),
        "PATCH": ("403 405 403 405 405 403 403", "403 405 403 405 405 403 403"),
        "DELETE": ("403 405 403 405 405 403 403", "403 405 403 405 405 403 403"),
    },
    "listing-history": {
        "GET": ("403 ok ok ok ok ok ok", "403 ok ok ok ok ok ok"),
        "POST": ("403 405 403 405 405 403 403", "403 405 403 405 405 403 403"),
    },
    "listing-lift": {
        "GET": ("403 405 403 405 403 403 403", "403 405 403 405 403 403 403"),
        "POST": ("403 invalid 403 invalid 403 403 403", "403 invalid 403 invalid 403 403 403"),
    },
    "listing-list": {"GET": "403 ok ok ok ok ok ok", "POST": "403 invalid 403 invalid invalid 403 403"},
    "listing-price": {
        "GET": ("403 403 403 403 405 403 403", "403 403 403 403 405 403 403"),
        "POST": ("403 403 403 403 invalid 403 403", "403 403 403 403 404 403 403"),
    },
    "listing-review": {
        "GET": ("403 405 403 405 403 403 403", "403 405 403 405 403 403 403"),
        "POST": ("403 invalid 403 invalid 403 403 403", "403 invalid 403 invalid 403 403 403"),
    },
    "listing-review-change": {
        "GET": ("403 405 403 405 403 403 403", "403 405 403 405 403 403 403"),
        "POST": ("403 404 403 404 403 403 403", "403 404 403 404 403 403 403"),
    },
    "listing-suspend": {
        "GET": ("403 405 403 405 403 403 403", "403 405 403 405 403 403 403"),
        "POST": ("403 invalid 403 invalid 403 403 403", "403 invalid 403 invalid 403 403 403"),
    },
    "organisation-detail": {
        "GET": ("403 ok ok ok ok ok 404", "403 ok ok ok 404 404 404"),
        "POST": ("403 405 403 405 403 403 403", "403 405 403 405 403 403 403"),
        "PATCH": ("403 ok 403 ok 403 403 403", "403 ok 403 ok 403 403 403"),
        "DELETE": ("403 405 403 405 403 403 403", "403 405 403 405 403 403 403"),
    },
    "organisation-list": {"GET": "403 ok ok ok ok ok ok", "POST": "403 invalid 403 invalid 403 403 403"},
    "payment-standard-list": {"GET": "403 ok ok ok ok ok ok", "POST": "403 405 405 405 405 405 405"},
    "price-warning-answer": {
        "GET": ("403 403 403 403 405 403 403", "403 403 403 403 405 403 403"),
        "POST": ("403 403 403 403 invalid 403 403", "403 403 403 403 404 403 403"),
    },
    "price-warning-close": {
        "GET": ("403 405 403 405 403 403 403", "403 405 403 405 403 403 403"),
        "POST": ("403 invalid 403 invalid 403 403 403", "403 invalid 403 invalid 403 403 403"),
    },
    "price-warning-detail": {
        "GET": ("403 ok ok ok ok 403 403", "403 ok ok ok 404 403 403"),
        "POST": ("403 405 403 405 405 403 403", "403 405 403 405 405 403 403"),
        "PATCH": ("403 405 403 405 405 403 403", "403 405 403 405 405 403 403"),
        "DELETE": ("403 405 403 405 405 403 403", "403 405 403 405 405 403 403"),
    },
    "price-warning-inquire": {
        "GET": ("403 405 403 405 403 403 403", "403 405 403 405 403 403 403"),
        "POST": ("403 invalid 403 invalid 403 403 403", "403 invalid 403 invalid 403 403 403"),
    },
    "price-warning-interview": {
        "GET": ("403 405 403 405 403 403 403", "403 405 403 405 403 403 403"),
        "POST": ("403 invalid 403 invalid 403 403 403", "403 invalid 403 invalid 403 403 403"),
    },
    "price-warning-list": {"GET": "403 ok ok ok ok 403 403", "POST": "403 405 403 405 405 403 403"},
    "pricing:declare_off_platform": {"GET": "405 405 405 405 405 405 405", "POST": "login 403 403 403 403 ok 403"},
    "pricing:exposures": {"GET": "ok ok ok ok ok ok ok", "POST": "ok ok ok ok ok ok ok"},
    "pricing:home": {"GET": "login ok ok ok ok ok ok", "POST": "login ok ok ok ok ok ok"},
    "pricing:listing_apply": {"GET": "405 405 405 405 405 405 405", "POST": "login 403 403 403 404 403 403"},
    "pricing:listing_detail": {
        "GET": ("login ok ok ok ok ok ok", "login ok ok ok ok ok ok"),
        "POST": ("login ok ok ok ok ok ok", "login ok ok ok ok ok ok"),
    },
    "pricing:listing_price_request": {
        "GET": ("405 405 405 405 405 405 405", "405 405 405 405 405 405 405"),
        "POST": ("login 403 403 403 ok 403 403", "login 403 403 403 ok 403 403"),
    },
    "pricing:listing_price_review": {
        "GET": ("405 405 405 405 405 405 405", "405 405 405 405 405 405 405"),
        "POST": ("login 404 403 404 403 403 403", "login 404 403 404 403 403 403"),
    },
    "pricing:listing_review": {
        "GET": ("405 405 405 405 405 405 405", "405 405 405 405 405 405 405"),
        "POST": ("login ok 403 ok 403 403 403", "login ok 403 ok 403 403 403"),
    },
    "pricing:listing_suspend": {
        "GET": ("405 405 405 405 405 405 405", "405 405 405 405 405 405 405"),
        "POST": ("login ok 403 ok 403 403 403", "login ok 403 ok 403 403 403"),
    },
    "pricing:run_checks": {"GET": "405 405 405 405 405 405 405", "POST": "login ok 403 ok 403 403 403"},
    "pricing:savings": {"GET": "login ok ok ok 403 403 403", "POST": "login ok ok ok 403 403 403"},
    "pricing:standards": {"GET": "login ok ok ok ok ok ok", "POST": "login ok ok ok ok ok ok"},
    "pricing:warning_act": {
        "GET": ("405 405 405 405 405 405 405", "405 405 405 405 405 405 405"),
        "POST": ("login 404 404 404 404 403 403", "login 404 404 404 404 403 403"),
    },
    "pricing:warning_detail": {
        "GET": ("login ok ok ok ok 403 403", "login ok ok ok 404 403 403"),
        "POST": ("login ok ok ok ok 403 403", "login ok ok ok 404 403 403"),
    },
    "procurement:award_compare": {
        "GET": ("login ok 403 ok 403 403 403", "login ok 403 ok 403 403 403"),
        "POST": ("login ok 403 ok 403 403 403", "login ok 403 ok 403 403 403"),
    },
    "procurement:award_revival_accept": {
        "GET": ("405 405 405 405 405 405 405", "405 405 405 405 405 405 405"),
        "POST": ("login 404 403 404 403 403 403", "login 404 403 404 403 403 403"),
    },
    "procurement:award_run": {
        "GET": ("login ok 403 ok 403 403 403", "login ok 403 ok 403 403 403"),
        "POST": ("login ok 403 ok 403 403 403", "login ok 403 ok 403 403 403"),
    },
    "procurement:award_run_lines": {
        "GET": ("login ok 403 ok 403 403 403", "login ok 403 ok 403 403 403"),
        "POST": ("login ok 403 ok 403 403 403", "login ok 403 ok 403 403 403"),
    },
    "procurement:award_run_progress": {
        "GET": ("login ok 403 ok 403 403 403", "login ok 403 ok 403 403 403"),
        "POST": ("login ok 403 ok 403 403 403", "login ok 403 ok 403 403 403"),
    },
    "procurement:award_run_publish": {
        "GET": ("405 405 405 405 405 405 405", "405 405 405 405 405 405 405"),
        "POST": ("login ok 403 ok 403 403 403", "login ok 403 ok 403 403 403"),
    },
    "procurement:group_create": {
        "GET": ("login ok 403 ok 403 403 403", "login ok 403 ok 403 403 403"),
        "POST": ("login ok 403 ok 403 403 403", "login ok 403 ok 403 403 403"),
    },
    "procurement:group_edit": {
        "GET": ("login ok 403 ok 403 403 403", "login ok 403 ok 403 403 403"),
        "POST": ("login ok 403 ok 403 403 403", "login ok 403 ok 403 403 403"),
    },
    "procurement:product_create": {"GET": "login ok 403 ok 403 403 403", "POST": "login ok 403 ok 403 403 403"},
    "procurement:product_detail": {
        "GET": ("login ok ok ok ok ok ok", "login ok ok ok ok ok ok"),
        "POST": ("login ok ok ok ok ok ok", "login ok ok ok ok ok ok"),
    },
    "procurement:product_edit": {
        "GET": ("login ok 403 ok 403 403 403", "login ok 403 ok 403 403 403"),
        "POST": ("login ok 403 ok 403 403 403", "login ok 403 ok 403 403 403"),
    },
    "procurement:product_export": {"GET": "login ok ok ok ok ok ok", "POST": "login ok ok ok ok ok ok"},
    "procurement:product_import": {"GET": "login ok 403 ok 403 403 403", "POST": "login ok 403 ok 403 403 403"},
    "procurement:product_import_detail": {
        "GET": ("login ok 403 ok 403 403 403", "login ok 403 ok 403 403 403"),
        "POST": ("login ok 403 ok 403 403 403", "login ok 403 ok 403 403 403"),
    },
    "procurement:product_import_template": {
        "GET": "login ok 403 ok 403 403 403",
        "POST": "login ok 403 ok 403 403 403",
    },
    "procurement:product_list": {"GET": "login ok ok ok ok ok ok", "POST": "login ok ok ok ok ok ok"},
    "procurement:round_allocations": {
        "GET": ("login 403 403 403 403 ok 403", "login 403 403 403 403 ok 403"),
        "POST": ("login 403 403 403 403 ok 403", "login 403 403 403 403 ok 403"),
    },
    "procurement:round_award": {
        "GET": ("login ok 403 ok 403 403 403", "login ok 403 ok 403 403 403"),
        "POST": ("login ok 403 ok 403 403 403", "login ok 403 ok 403 403 403"),
    },
    "procurement:round_award_preview": {
        "GET": ("login ok 403 ok 403 403 403", "login ok 403 ok 403 403 403"),
        "POST": ("login ok 403 ok 403 403 403", "login ok 403 ok 403 403 403"),
    },
    "procurement:round_bid_preview": {
        "GET": ("login 403 403 403 405 403 403", "login 403 403 403 405 403 403"),
        "POST": ("login 403 403 403 ok 403 403", "login 403 403 403 ok 403 403"),
    },
    "procurement:round_bid_withdraw": {
        "GET": ("login 403 403 403 405 403 403", "login 403 403 403 405 403 403"),
        "POST": ("login 403 403 403 ok 403 403", "login 403 403 403 ok 403 403"),
    },
    "procurement:round_bid_receipts": {
        "GET": ("login 403 403 403 ok 403 403", "login 403 403 403 ok 403 403"),
        "POST": ("405 405 405 405 405 405 405", "405 405 405 405 405 405 405"),
    },
    "procurement:round_bids": {
        "GET": ("login 403 403 403 ok 403 403", "login 403 403 403 ok 403 403"),
        "POST": ("login 403 403 403 404 403 403", "login 403 403 403 404 403 403"),
    },
    "procurement:round_choose_winner": {
        "GET": ("405 405 405 405 405 405 405", "405 405 405 405 405 405 405"),
        "POST": ("login 403 403 403 403 ok 403", "login 403 403 403 403 404 403"),
    },
    "procurement:round_commitment": {
        "GET": ("login 403 403 403 ok 403 403", "login 403 403 403 ok 403 403"),
        "POST": ("login 403 403 403 ok 403 403", "login 403 403 403 ok 403 403"),
    },
    "procurement:round_create": {"GET": "login ok 403 ok 403 403 403", "POST": "login ok 403 ok 403 403 403"},
    "procurement:round_demand": {
        "GET": ("login 403 403 403 403 ok 403", "login 403 403 403 403 ok 403"),
        "POST": ("login 403 403 403 403 ok 403", "login 403 403 403 403 ok 403"),
    },
    "procurement:round_spec_ceilings": {
        "GET": ("login ok 403 ok 403 403 403", "login ok 403 ok 403 403 403"),
        "POST": ("login invalid 403 invalid 403 403 403", "login invalid 403 invalid 403 403 403"),
    },
    "procurement:round_spec_ceilings_template": {
        "GET": ("login ok 403 ok 403 403 403", "login ok 403 ok 403 403 403"),
        "POST": ("login 405 403 405 403 403 403", "login 405 403 405 403 403 403"),
    },
    "procurement:round_demand_summary": {
        "GET": ("login ok 403 ok 403 403 403", "login ok 403 ok 403 403 403"),
        "POST": ("login ok 403 ok 403 403 403", "login ok 403 ok 403 403 403"),
    },
    "procurement:round_demand_template": {
        "GET": ("login 403 403 403 403 ok 403", "login 403 403 403 403 ok 403"),
        "POST": ("login 403 403 403 403 ok 403", "login 403 403 403 403 ok 403"),
    },
    "procurement:round_demand_upload": {
        "GET": ("login 403 403 403 403 405 403", "login 403 403 403 403 405 403"),
        "POST": ("login 403 403 403 403 invalid 403", "login 403 403 403 403 invalid 403"),
    },
    "procurement:round_detail": {
        "GET": ("login ok ok ok ok ok ok", "login ok ok ok ok ok ok"),
        "POST": ("login ok ok ok ok ok ok", "login ok ok ok ok ok ok"),
    },
    "procurement:round_edit": {
        "GET": ("login ok 403 ok 403 403 403", "login ok 403 ok 403 403 403"),
        "POST": ("login ok 403 ok 403 403 403", "login ok 403 ok 403 403 403"),
    },
    "procurement:round_extend_demand": {
        "GET": ("login ok 403 ok 403 403 403", "login ok 403 ok 403 403 403"),
        "POST": ("login ok 403 ok 403 403 403", "login ok 403 ok 403 403 403"),
    },
    "procurement:round_list": {"GET": "login ok ok ok ok ok ok", "POST": "login ok ok ok ok ok ok"},
    # The old address of the round pages: a redirect for everyone; the new address then decides.
    "procurement:rounds_moved": {"GET": "ok ok ok ok ok ok ok", "POST": "ok ok ok ok ok ok ok"},
    "procurement:round_open": {
        "GET": ("login 405 403 405 403 403 403", "login 405 403 405 403 403 403"),
        "POST": ("login ok 403 ok 403 403 403", "login ok 403 ok 403 403 403"),
    },
    "procurement:round_opening": {
        "GET": ("login ok ok ok ok ok ok", "login ok ok ok ok ok ok"),
        "POST": ("login ok ok ok ok ok ok", "login ok ok ok ok ok ok"),
    },
    "procurement:round_opening_export": {
        "GET": ("login ok ok ok ok ok ok", "login ok ok ok ok ok ok"),
        "POST": ("login ok ok ok ok ok ok", "login ok ok ok ok ok ok"),
    },
    "procurement:round_results": {
        "GET": ("login 403 403 403 ok 403 403", "login 403 403 403 ok 403 403"),
        "POST": ("login 403 403 403 ok 403 403", "login 403 403 403 ok 403 403"),
    },
    "procurement:round_transition": {
        "GET": ("login 405 403 405 403 403 403", "login 405 403 405 403 403 403"),
        "POST": ("login ok 403 ok 403 403 403", "login ok 403 ok 403 403 403"),
    },
    "product-detail": {
        "GET": ("403 ok ok ok ok ok ok", "403 ok ok ok ok ok ok"),
        "POST": ("403 405 403 405 403 403 403", "403 405 403 405 403 403 403"),
        "PATCH": ("403 ok 403 ok 403 403 403", "403 ok 403 ok 403 403 403"),
        "DELETE": ("403 405 403 405 403 403 403", "403 405 403 405 403 403 403"),
    },
    "product-import-detail": {
        "GET": ("403 ok 403 ok 403 403 403", "403 ok 403 ok 403 403 403"),
        "POST": ("403 405 403 405 403 403 403", "403 405 403 405 403 403 403"),
        "PATCH": ("403 405 403 405 403 403 403", "403 405 403 405 403 403 403"),
        "DELETE": ("403 405 403 405 403 403 403", "403 405 403 405 403 403 403"),
    },
    "product-import-list": {"GET": "403 ok 403 ok 403 403 403", "POST": "403 ok 403 ok 403 403 403"},
    "product-list": {"GET": "403 ok ok ok ok ok ok", "POST": "403 invalid 403 invalid 403 403 403"},
    "public:award_announcement": {
        "GET": ("ok ok ok ok ok ok ok", "ok ok ok ok ok ok ok"),
        "POST": ("ok ok ok ok ok ok ok", "ok ok ok ok ok ok ok"),
    },
    "public:award_announcements": {"GET": "ok ok ok ok ok ok ok", "POST": "ok ok ok ok ok ok ok"},
    "purchase-list": {"GET": "403 ok ok ok ok ok 403", "POST": "403 403 403 403 403 invalid 403"},
    "purchase-upload-detail": {
        "GET": ("403 ok ok ok 403 ok 403", "403 ok ok ok 403 404 403"),
        "POST": ("403 403 403 403 403 403 403", "403 403 403 403 403 403 403"),
        "PATCH": ("403 403 403 403 403 403 403", "403 403 403 403 403 403 403"),
        "DELETE": ("403 403 403 403 403 403 403", "403 403 403 403 403 403 403"),
    },
    "purchase-upload-list": {"GET": "403 ok ok ok 403 ok 403", "POST": "403 403 403 403 403 403 403"},
    "region-detail": {
        "GET": ("403 ok ok ok ok ok ok", "403 ok ok ok ok ok ok"),
        "POST": ("403 405 405 405 405 405 405", "403 405 405 405 405 405 405"),
        "PATCH": ("403 405 405 405 405 405 405", "403 405 405 405 405 405 405"),
        "DELETE": ("403 405 405 405 405 405 405", "403 405 405 405 405 405 405"),
    },
    "region-list": {"GET": "403 ok ok ok ok ok ok", "POST": "403 405 405 405 405 405 405"},
    "round-award-preview": {
        "GET": ("403 ok 403 ok 403 403 403", "403 ok 403 ok 403 403 403"),
        "POST": ("403 405 403 405 403 403 403", "403 405 403 405 403 403 403"),
    },
    "round-demand-summary": {
        "GET": ("403 ok 403 ok 403 403 403", "403 ok 403 ok 403 403 403"),
        "POST": ("403 405 403 405 403 403 403", "403 405 403 405 403 403 403"),
    },
    # The empty JSON body is refused as not multipart (415, counted as "ok": let in) for the officers only.
    "round-spec-ceilings": {
        "GET": ("403 405 405 405 405 405 405", "403 405 405 405 405 405 405"),
        "POST": ("403 ok 403 ok 403 403 403", "403 ok 403 ok 403 403 403"),
    },
    "round-demand-upload": {
        "GET": ("403 405 405 405 405 405 405", "403 405 405 405 405 405 405"),
        "POST": ("403 403 403 403 403 ok 403", "403 403 403 403 403 ok 403"),
    },
    "round-detail": {
        "GET": ("403 ok ok ok ok ok ok", "403 ok ok ok ok ok ok"),
        "POST": ("403 405 403 405 403 403 403", "403 405 403 405 403 403 403"),
        "PATCH": ("403 invalid 403 invalid 403 403 403", "403 invalid 403 invalid 403 403 403"),
        "DELETE": ("403 405 403 405 403 403 403", "403 405 403 405 403 403 403"),
    },
    "round-extend-demand": {
        "GET": ("403 405 405 405 405 405 405", "403 405 405 405 405 405 405"),
        "POST": ("403 invalid 403 invalid 403 403 403", "403 invalid 403 invalid 403 403 403"),
    },
    "round-list": {"GET": "403 ok ok ok ok ok ok", "POST": "403 invalid 403 invalid 403 403 403"},
    "round-open": {
        "GET": ("403 405 405 405 405 405 405", "403 405 405 405 405 405 405"),
        "POST": ("403 invalid 403 invalid 403 403 403", "403 invalid 403 invalid 403 403 403"),
    },
    "round-opening-table": {
        "GET": ("403 ok ok ok ok ok ok", "403 ok ok ok ok ok ok"),
        "POST": ("403 405 403 405 403 403 403", "403 405 403 405 403 403 403"),
    },
    "round-transition": {
        "GET": ("403 405 405 405 405 405 405", "403 405 405 405 405 405 405"),
        "POST": ("403 invalid 403 invalid 403 403 403", "403 invalid 403 invalid 403 403 403"),
    },
    "savings-detail": {
        "GET": ("403 ok ok ok 403 403 403", "403 ok ok ok 403 403 403"),
        "POST": ("403 403 403 403 403 403 403", "403 403 403 403 403 403 403"),
        "PATCH": ("403 403 403 403 403 403 403", "403 403 403 403 403 403 403"),
        "DELETE": ("403 403 403 403 403 403 403", "403 403 403 403 403 403 403"),
    },
    "set_language": {"GET": "ok ok ok ok ok ok ok", "POST": "ok ok ok ok ok ok ok"},
    "settlement-list": {"GET": "403 ok ok ok ok 403 403", "POST": "403 403 403 403 403 403 403"},
    "supply-failure-list": {"GET": "403 ok ok ok 403 403 403", "POST": "403 invalid 403 invalid invalid 403 403"},
    "user-detail": {
        "GET": ("403 ok ok ok ok ok ok", "403 404 404 ok 404 404 404"),
        "POST": ("403 405 405 405 405 405 405", "403 405 405 405 405 405 405"),
        "PATCH": ("403 405 405 405 405 405 405", "403 405 405 405 405 405 405"),
        "DELETE": ("403 405 405 405 405 405 405", "403 405 405 405 405 405 405"),
    },
    "user-list": {"GET": "403 ok ok ok ok ok ok", "POST": "403 405 405 405 405 405 405"},
    "api-tokens-list": {"GET": "403 ok ok ok ok ok ok", "POST": "403 405 405 405 405 405 405"},
    "api-tokens-revoke": {
        "GET": "403 405 405 405 405 405 405",
        "POST": "403 invalid invalid invalid invalid invalid invalid",
    },
    "user-me": {"GET": "403 ok ok ok ok ok ok", "POST": "403 405 405 405 405 405 405"},
    "user-me-tasks": {"GET": "403 ok ok ok ok ok ok", "POST": "403 405 405 405 405 405 405"},
}

MATRIX = {name: Row(KWARGS[name], EXPECTED[name]) for name in KWARGS}
