"""Version 2026-1 of the credit commitment text: the Chinese text of 2025-1 without its English paragraph, in force
from 1 December 2026 (signatures on 2025-1 keep naming that version and its hash). The text is frozen here so that
``credit/commitment_text.py`` can change without changing what this migration does."""

import hashlib

from django.db import migrations

VERSION = "2026-1"
TITLE = "医药企业价格和营销行为信用承诺书"
BODY = (
    "本企业自愿参加医药集中采购，并郑重承诺：\n"
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
    "本承诺由本企业法定代表人或其授权代表以企业名义作出，对本企业具有约束力。"
)


def add_text(apps, schema_editor):
    text_model = apps.get_model("credit", "CommitmentText")
    text_model.objects.get_or_create(
        version=VERSION,
        defaults={
            "title": TITLE,
            "body": BODY,
            "sha256": hashlib.sha256(BODY.encode("utf-8")).hexdigest(),
            "effective_from": "2026-12-01",
        },
    )


class Migration(migrations.Migration):
    dependencies = [("credit", "0008_job_progress")]

    operations = [migrations.RunPython(add_text, migrations.RunPython.noop)]
