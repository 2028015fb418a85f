"""The text of the price and marketing credit commitment (医药企业价格和营销行为信用承诺书), every version."""

TITLE = "医药企业价格和营销行为信用承诺书"
# Version 2025-1 carried an English paragraph under the Chinese text; suppliers' signatures on it stay valid (they
# name its version and hash), and 2026-1, the Chinese text alone, is in force from 1 December 2026.
CHINESE = """本企业自愿参加医药集中采购，并郑重承诺：

一、严格遵守《中华人民共和国价格法》《中华人民共和国反不正当竞争法》《中华人民共和国反垄断法》等法律法规，依法诚信经营，合理制定和调整药品和医用耗材价格，不实施价格欺诈、哄抬价格、串通涨价等不正当价格行为。

二、在集中采购活动中如实提供资质和申报材料，独立报价，不提供虚假材料，不串通投标，不以任何方式扰乱集中采购秩序。

三、中选后按照采购协议及时足量供应，保障供应质量和配送时效，不无正当理由拒绝签订或履行协议，不擅自中断供应。

四、不在医药购销中给予回扣或其他不正当利益，不实施涉税违法行为。

五、接受医疗保障部门依据医药价格和招采信用评价制度对本企业失信行为的认定、评级和处置，并按要求主动纠正失信行为、申请信用修复。

本承诺由本企业法定代表人或其授权代表以企业名义作出，对本企业具有约束力。"""
# The English paragraph of 2025-1, kept so that its text (and the hash its signatures name) stays exactly as signed.
ENGLISH_2025 = (
    "\n\nI, on behalf of the legal entity, commit to honest pricing, bidding, contract performance and marketing, "
    "and\naccept the credit evaluation of pricing and procurement, its measures and its repair procedure."
)
VERSIONS = [
    {"version": "2025-1", "title": TITLE, "body": CHINESE + ENGLISH_2025, "effective_from": "2025-01-01"},
    {"version": "2026-1", "title": TITLE, "body": CHINESE, "effective_from": "2026-12-01"},
]
VERSION = VERSIONS[-1]["version"]
BODY = VERSIONS[-1]["body"]


def ensure_commitment_text(text_model) -> None:
    """Create the versions of the text that are missing (used after a test flush; the data migrations froze
    their own copies)."""
    import hashlib

    for text in VERSIONS:
        text_model.objects.get_or_create(
            version=text["version"],
            defaults={
                "title": text["title"],
                "body": text["body"],
                "sha256": hashlib.sha256(text["body"].encode("utf-8")).hexdigest(),
                "effective_from": text["effective_from"],
            },
        )
