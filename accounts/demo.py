"""The demo world loaded by ``manage.py load_demo``: one province, its authority, suppliers, hospitals, products, and
one user per role. Loading is idempotent: everything is keyed by its code or user name."""

from django.db import transaction

from . import uscc
from .models import Organisation, Region, Role, User

PROVINCE = ("430000", "湖南省")
CITIES = [
    ("430100", "长沙市"),
    ("430200", "株洲市"),
    ("430300", "湘潭市"),
    ("430400", "衡阳市"),
    ("430600", "岳阳市"),
    ("430700", "常德市"),
]
# The procurement centre, a public institution (事业单位): its unified social credit code is its code and identifier.
AUTHORITY = (uscc.complete("12430000MB1D00017"), "湖南省医药集中采购中心")
FORMER_AUTHORITY_CODE = "HN-YBJ-CGZX"  # the demo's code before it had a credit code
AUTHORITY_CONTACT = {
    "address": "长沙市岳麓区银杉路 88 号",
    "contact_name": "采购科",
    "contact_phone": "0731-88880000",
    "contact_email": "cgzx@hnybj.example",
}
# (first 17 characters of the unified social credit code, name, city)
SUPPLIERS = [
    ("91430100MA4L0001X", "湘江制药股份有限公司", "430100"),
    ("91430200MA4L0002X", "株洲千金药业有限公司", "430200"),
    ("91310000MA1K0003X", "上海申康医药有限公司", "430100"),
    ("91320500MA1M0004X", "苏州恒瑞制药有限公司", "430100"),
    ("91440300MA5F0005X", "深圳华润医药有限公司", "430100"),
    ("91110000MA0A0006X", "北京科兴药业有限公司", "430100"),
]
HOSPITAL_NAMES = ["第一人民医院", "中心医院", "中医医院", "妇幼保健院", "第二人民医院"]
HOSPITAL_LEVELS = ["3", "3", "2", "2", "1"]
DEMO_PASSWORD = "Demo-pass-2026"


@transaction.atomic
def load() -> list[tuple[str, str, str]]:
    """Create or refresh the demo world; returns (user name, role, organisation) for every demo user."""
    province, _created = Region.objects.update_or_create(
        code=PROVINCE[0], defaults={"name": PROVINCE[1], "level": Region.Level.PROVINCE, "parent": None}
    )
    cities = {}
    for code, name in CITIES:
        cities[code], _created = Region.objects.update_or_create(
            code=code, defaults={"name": name, "level": Region.Level.CITY, "parent": province}
        )
    Organisation.objects.filter(code=FORMER_AUTHORITY_CODE).update(code=AUTHORITY[0])
    authority, _created = Organisation.objects.update_or_create(
        code=AUTHORITY[0],
        defaults={"kind": Organisation.Kind.AUTHORITY, "name": AUTHORITY[1], "region": province, **AUTHORITY_CONTACT},
    )
    suppliers = []
    for number, (first17, name, city) in enumerate(SUPPLIERS, start=1):
        organisation, _created = Organisation.objects.update_or_create(
            code=uscc.complete(first17[:17]),
            defaults={
                "kind": Organisation.Kind.SUPPLIER,
                "name": name,
                "region": cities[city],
                "address": f"{dict(CITIES)[city]}高新区药谷路 {number} 号",
                "contact_name": "销售部",
                "contact_phone": f"400-800-{number:04d}",
                "contact_email": f"sales@supplier{number}.example",
            },
        )
        suppliers.append(organisation)
    hospitals = []
    for city_index, (city_code, city_name) in enumerate(CITIES):
        for index, (suffix, level) in enumerate(zip(HOSPITAL_NAMES[:4], HOSPITAL_LEVELS, strict=False)):
            organisation, _created = Organisation.objects.update_or_create(
                code=f"H{city_code}{index + 1:02d}",
                defaults={
                    "kind": Organisation.Kind.HOSPITAL,
                    "name": f"{city_name}{suffix}",
                    "region": cities[city_code],
                    "hospital_level": level,
                    "address": f"{city_name}人民路 {100 + index} 号",
                    "contact_name": "药剂科",
                    "ownership": Organisation.Ownership.PRIVATE if city_index == 5 and index == 3 else "public",
                },
            )
            hospitals.append(organisation)
    people = [
        ("officer", Role.PROCUREMENT_OFFICER, authority),
        ("credit", Role.CREDIT_OFFICER, authority),
        ("admin", Role.ADMINISTRATOR, authority),
        *((f"supplier{i + 1}", Role.SUPPLIER_USER, org) for i, org in enumerate(suppliers)),
        *((f"hospital{i + 1}", Role.HOSPITAL_USER, org) for i, org in enumerate(hospitals)),
    ]
    accounts = []
    for username, role, organisation in people:
        user, created = User.objects.get_or_create(
            username=username, defaults={"role": role, "organisation": organisation}
        )
        user.role, user.organisation = role, organisation
        user.is_staff = user.is_superuser = role == Role.ADMINISTRATOR
        if created:
            user.set_password(DEMO_PASSWORD)
        user.save()
        if role in (Role.PROCUREMENT_OFFICER, Role.CREDIT_OFFICER, Role.ADMINISTRATOR):
            _demo_authenticator(user)
        accounts.append((username, role.label, organisation.name))
    return accounts


# The demo officers' authenticator key (RFC 4226's test key, base32 GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ): add it to
# an authenticator app, or read the current code with ``manage.py otp_code officer`` (embedded/debug mode only).
DEMO_TOTP_KEY = "3132333435363738393031323334353637383930"


def _demo_authenticator(user) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.get_or_create(user=user, name="demo", defaults={"key": DEMO_TOTP_KEY, "confirmed": True})
