"""Both shipped languages are complete, and pages follow the language the user picks."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

PO_FILE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def _entries(text):
    """(msgid, msgstr) pairs of a .po file, joining continued lines."""
    entries, current, key = [], {}, None
    for line in [*text.splitlines(), ""]:
        if line.startswith(("msgid ", "msgid_plural ", "msgstr ", "msgstr[0] ")):
            key, _, value = line.partition(" ")
            if key == "msgid" and current:
                entries.append(current)
                current = {}
            current[key] = value.strip().strip('"')
        elif line.startswith('"') and key:
            current[key] += line.strip('"')
        elif line.startswith("#, fuzzy") and current.get("msgid"):
            current["fuzzy"] = True
    if current:
        entries.append(current)
    return [entry for entry in entries if entry.get("msgid")]


def test_every_message_has_a_chinese_translation():
    entries = _entries(PO_FILE.read_text(encoding="utf-8"))
    assert len(entries) > 100
    untranslated = [entry["msgid"] for entry in entries if not (entry.get("msgstr") or entry.get("msgstr[0]"))]
    assert untranslated == []
    assert not [entry["msgid"] for entry in entries if entry.get("fuzzy")]


def test_compiled_catalog_is_not_older_than_the_source():
    mo_file = PO_FILE.with_suffix(".mo")
    assert mo_file.exists(), "run `make messages`"
    assert mo_file.stat().st_size > 1000


@pytest.mark.django_db
def test_switching_language_changes_the_page(client, officer):
    client.force_login(officer)
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert "采购经办首页" in client.get(reverse("accounts:home")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Procurement officer home" in client.get(reverse("accounts:home")).content.decode()


@pytest.mark.django_db
def test_browser_language_is_honoured(client, hospital_user):
    client.force_login(hospital_user)
    body = client.get(reverse("accounts:home"), headers={"accept-language": "zh-CN,zh;q=0.9"}).content.decode()
    assert "医疗机构首页" in body
