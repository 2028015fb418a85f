"""The demo world loaded by ``manage.py load_demo``: one province, its authority, suppliers, hospitals, products, and
one user per role. Loading is idempotent: everything is keyed by its code or user name."""

from datetime import date

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
# Two or three counties and districts of each city (GB/T 2260), the areas distribution relations are made for.
COUNTIES = {
    "430100": [("430104", "岳麓区"), ("430121", "长沙县"), ("430181", "浏阳市")],
    "430200": [("430202", "荷塘区"), ("430223", "攸县"), ("430281", "醴陵市")],
    "430300": [("430302", "雨湖区"), ("430321", "湘潭县")],
    "430400": [("430405", "珠晖区"), ("430421", "衡阳县")],
    "430600": [("430602", "岳阳楼区"), ("430626", "平江县")],
    "430700": [("430702", "武陵区"), ("430725", "桃源县")],
}
# One distributor (配送企业) based in each city: (first 17 characters of the credit code, name, city, licence number).
DISTRIBUTORS = [
    ("91430100MA4P0101X", "湖南国康医药物流有限公司", "430100", "湘AA7310001"),
    ("91430200MA4P0102X", "株洲仁和医药配送有限公司", "430200", "湘AA7320002"),
    ("91430300MA4P0103X", "湘潭益民医药有限公司", "430300", "湘AA7330003"),
    ("91430400MA4P0104X", "衡阳九州医药配送有限公司", "430400", "湘AA7340004"),
    ("91430600MA4P0105X", "岳阳洞庭医药物流有限公司", "430600", "湘AA7360005"),
    ("91430700MA4P0106X", "常德德康医药有限公司", "430700", "湘AA7370006"),
]
DISTRIBUTOR_LICENCE_EXPIRES = date(2030, 12, 31)
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
    for city_code, counties in COUNTIES.items():
        for code, name in counties:
            Region.objects.update_or_create(
                code=code, defaults={"name": name, "level": Region.Level.COUNTY, "parent": cities[city_code]}
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
    distributors = []
    for number, (first17, name, city, licence) in enumerate(DISTRIBUTORS, start=1):
        organisation, _created = Organisation.objects.update_or_create(
            code=uscc.complete(first17[:17]),
            defaults={
                "kind": Organisation.Kind.DISTRIBUTOR,
                "name": name,
                "region": cities[city],
                "address": f"{dict(CITIES)[city]}物流园 {number} 号",
                "contact_name": "客服部",
                "contact_phone": f"400-810-{number:04d}",
                "licence_number": licence,
                "licence_scope": Organisation.LicenceScope.DRUGS,
                "licence_expires": DISTRIBUTOR_LICENCE_EXPIRES,
            },
        )
        distributors.append(organisation)
    people = [
        ("officer", Role.PROCUREMENT_OFFICER, authority),
        ("credit", Role.CREDIT_OFFICER, authority),
        ("admin", Role.ADMINISTRATOR, authority),
        *((f"supplier{i + 1}", Role.SUPPLIER_USER, org) for i, org in enumerate(suppliers)),
        *((f"hospital{i + 1}", Role.HOSPITAL_USER, org) for i, org in enumerate(hospitals)),
        *((f"distributor{i + 1}", Role.DISTRIBUTOR_USER, org) for i, org in enumerate(distributors)),
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
