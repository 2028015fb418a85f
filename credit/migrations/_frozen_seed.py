"""The credit app's first contents exactly as its data migrations create them: a frozen copy (2026-12-07) of
``credit/catalog_data.py`` (0005: the 2020 and 2025 editions of the catalog) and ``credit/commitment_text.py``
(0003: version 2025-1 of the commitment text), so that those modules can move or change without changing what an
old migration does. A new edition or text version reaches existing databases through a new data migration."""

import hashlib

EDITIONS = [
    {
        "code": "2020",
        "family": "2020",
        "title": "信用评级裁量基准（2020年版）",
        "effective_from": "2020-09-01",
        "in_force": True,
        "benchmark": {
            "kickback_single": [
                (10000, "general"),
                (100000, "medium"),
                (300000, "serious"),
                (2000000, "particularly_serious"),
            ],
            "kickback_cumulative": [(500000, "serious"), (2000000, "particularly_serious")],
            "tax": [(10000, "general"), (100000, "medium"), (1000000, "serious"), (10000000, "particularly_serious")],
            "penalised_price_months": 3,
            "abnormal_price_months": 12,
            "abnormal_sales": 10000000,
            "delivery_rate_general": "0.95",
            "delivery_rate_medium": "0.80",
            "interruption_days_medium": 7,
            "interruption_days_serious": 30,
            "rounds_particularly_serious": 2,
        },
        "procedure": {
            "defence_working_days": 10,
            "deemed_served_days": 15,
            "rectification_days": 30,
            "retention_years": 3,
            "repair_waiting_days": 0,
            "commitment_grace_days": 60,
        },
        "repair_steps": {
            "kickback": [
                "conduct_stopped",
                "staff_disciplined",
                "rectification_report",
                "public_apology",
                "gains_returned",
            ],
            "tax": ["conduct_stopped", "rectification_report", "gains_returned"],
            "monopoly": ["conduct_stopped", "rectification_report", "price_cut", "public_apology"],
            "unfair_price": ["conduct_stopped", "rectification_report", "price_cut", "gains_returned"],
            "disrupt_procurement": ["conduct_stopped", "staff_disciplined", "rectification_report", "public_apology"],
            "breach_contract": ["conduct_stopped", "rectification_report", "public_apology"],
            "other": ["conduct_stopped", "rectification_report"],
        },
    },
    {
        "code": "2025",
        "family": "2025",
        "title": "信用评级裁量基准（2025年版）",
        "effective_from": "2025-07-01",
        "in_force": False,
        "benchmark": {
            "kickback_total": [
                (10000, "dishonest"),
                (500000, "seriously_dishonest"),
                (1000000, "particularly_seriously_dishonest"),
            ],
            "tax": [
                (50000, "dishonest"),
                (500000, "seriously_dishonest"),
                (2500000, "particularly_seriously_dishonest"),
            ],
            "base_2020": {
                "kickback_single": [
                    (10000, "general"),
                    (100000, "medium"),
                    (300000, "serious"),
                    (2000000, "particularly_serious"),
                ],
                "kickback_cumulative": [(500000, "serious"), (2000000, "particularly_serious")],
                "tax": [
                    (10000, "general"),
                    (100000, "medium"),
                    (1000000, "serious"),
                    (10000000, "particularly_serious"),
                ],
                "penalised_price_months": 3,
                "abnormal_price_months": 12,
                "abnormal_sales": 10000000,
                "delivery_rate_general": "0.95",
                "delivery_rate_medium": "0.80",
                "interruption_days_medium": 7,
                "interruption_days_serious": 30,
                "rounds_particularly_serious": 2,
            },
        },
        "procedure": {
            "defence_working_days": 10,
            "deemed_served_days": 15,
            "rectification_days": 30,
            "retention_years": 3,
            "repair_waiting_days": 0,
            "commitment_grace_days": 60,
        },
        "repair_steps": {
            "kickback": [
                "conduct_stopped",
                "staff_disciplined",
                "rectification_report",
                "public_apology",
                "gains_returned",
            ],
            "tax": ["conduct_stopped", "rectification_report", "gains_returned"],
            "monopoly": ["conduct_stopped", "rectification_report", "price_cut", "public_apology"],
            "unfair_price": ["conduct_stopped", "rectification_report", "price_cut", "gains_returned"],
            "disrupt_procurement": ["conduct_stopped", "staff_disciplined", "rectification_report", "public_apology"],
            "breach_contract": ["conduct_stopped", "rectification_report", "public_apology"],
            "other": ["conduct_stopped", "rectification_report"],
        },
    },
]

COMMITMENT_TEXT = {
    "version": "2025-1",
    "title": "医药企业价格和营销行为信用承诺书",
    "body": "本企业自愿参加医药集中采购，并郑重承诺：\n"
    "\n"
    "一、严格遵守《中华人民共和国价格法》《中华人民共和国反不正当竞争法》《中华人民共和国反垄断法》等法律法规，依法诚信经营，合理制定和调整药品和医用耗材价格，不实施价格欺诈、哄抬价格、串通涨价等不正当价格行为。\n"
    "\n"
    "二、在集中采购活动中如实提供资质和申报材料，独立报价，不提供虚假材料，不串通投标，不以任何方式扰乱集中采购秩序。\n"
    "\n"
    "三、中选后按照采购协议及时足量供应，保障供应质量和配送时效，不无正当理由拒绝签订或履行协议，不擅自中断供应。\n"
    "\n"
    "四、不在医药购销中给予回扣或其他不正当利益，不实施涉税违法行为。\n"
    "\n"
    "五、接受医疗保障部门依据医药价格和招采信用评价制度对本企业失信行为的认定、评级和处置，并按要求主动纠正失信行为、申请信用修复。\n"
    "\n"
    "本承诺由本企业法定代表人或其授权代表以企业名义作出，对本企业具有约束力。\n"
    "\n"
    "I, on behalf of the legal entity, commit to honest pricing, bidding, contract performance and marketing, "
    "and\n"
    "accept the credit evaluation of pricing and procurement, its measures and its repair procedure.",
    "effective_from": "2025-01-01",
}


def ensure_catalog_versions(version_model) -> None:
    """Create the shipped editions that are missing."""
    for edition in EDITIONS:
        values = dict(edition)
        code = values.pop("code")
        if not version_model.objects.filter(code=code).exists():
            if values["in_force"] and version_model.objects.filter(in_force=True).exists():
                values["in_force"] = False
            version_model.objects.create(code=code, **values)


def ensure_commitment_text(text_model) -> None:
    """Create this version of the text if it is missing."""
    text = COMMITMENT_TEXT
    text_model.objects.get_or_create(
        version=text["version"],
        defaults={
            "title": text["title"],
            "body": text["body"],
            "sha256": hashlib.sha256(text["body"].encode("utf-8")).hexdigest(),
            "effective_from": text["effective_from"],
        },
    )
