"""Nothing in a Chinese page is English except codes and names: every page route of the authorisation matrix is
rendered in zh-hans as every role it serves (the demo world, on the caller's own objects), and the visible text —
with the titles, placeholders and labels read aloud — may hold no English word outside the allow-list below."""

import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from tests.authorisation_matrix import MATRIX, ROLES
from tests.test_authorisation_matrix import _kwargs, routes, world  # noqa: F401 (the fixture: the demo world)

pytestmark = pytest.mark.django_db

# Text inside these elements is code, not language (drug codes, hashes, parameter names shown as secondary text).
CODE_ELEMENTS = {"script", "style", "code", "kbd", "samp", "pre"}
READ_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt"}
# Names and notations that are English in every language: the platform's acronyms and file kinds, the language
# switcher's own name, formula notation of the rule sets, the test world's document numbers.
ALLOWED = {"API", "Excel", "OCDS", "ERP", "PDF", "SHA", "sha", "JSON", "CSV", "English", "cap", "max", "min"}
ALLOWED |= {"matrix", "mine", "theirs"}
NOT_WORDS = re.compile(
    r"\S+@\S+"  # e-mail addresses
    r"|\S*\.(?:xlsx|csv|json|md|pdf)\b"  # file names and kinds
    r"|\S*_\S*"  # identifiers: parameter names, symbols such as K_strength
    r"|[\w./-]*\d[\w./-]*"  # anything with a digit: codes, numbers, dates, versions
)
WORD = re.compile(r"[A-Za-z][A-Za-z'’]{2,}")


@pytest.fixture(autouse=True)
def platform_language(settings):
    """The platform's own language, as deployed (the suite's settings otherwise write English): records such as
    the audit log's object names are written in it before the world is built."""
    settings.LANGUAGE_CODE = "zh-hans"


class _VisibleText(HTMLParser):
    def __init__(self):
        super().__init__()
        self.inside_code = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in CODE_ELEMENTS:
            self.inside_code += 1
        self.parts += [value for name, value in attrs if name in READ_ATTRIBUTES and value]

    def handle_endtag(self, tag):
        if tag in CODE_ELEMENTS and self.inside_code:
            self.inside_code -= 1

    def handle_data(self, data):
        if not self.inside_code:
            self.parts.append(data)


def english_words(html: str, allowed: set[str]) -> list[str]:
    parser = _VisibleText()
    parser.feed(html)
    text = NOT_WORDS.sub(" ", " ".join(parser.parts))
    return sorted({word for word in WORD.findall(text) if word not in allowed})


def test_the_checker_finds_english_and_spares_codes_and_names():
    html = (
        '<p title="Save it">保存 <code>round.open</code> GY-2025-09 XC10AAA0500100102 a@b.example x.xlsx</p>'
        "<script>var english = 1;</script><p>Excel 导入 cap(n)</p>"
    )
    assert english_words(html, ALLOWED) == ["Save"]


def _page_routes():
    for name in sorted(routes()):
        row = MATRIX.get(name)
        if row is None or "GET" not in row.methods or name.split(":")[0].startswith("api") or "api" in name:
            continue
        yield name, row


def test_every_page_reads_in_chinese_for_every_role(world, settings):  # noqa: F811
    from accounts.models import User
    from procurement.models import RuleSet

    settings.SECOND_FACTOR_REQUIRED = False
    # Login names and rule-set codes are names and codes, shown as they are written.
    allowed = ALLOWED | set(User.objects.values_list("username", flat=True))
    allowed |= {part for code in RuleSet.objects.values_list("code", flat=True) for part in code.split("-")}
    pages, failures = 0, []
    for name, row in _page_routes():
        for index, role in enumerate(ROLES):
            if row.expected("GET")[0][index] != "ok":
                continue
            client = Client()
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
            if role != "anon":
                client.force_login(world["users"][role])
            url = reverse(name, kwargs=_kwargs(row.kwargs, world, 0, role))
            response = client.get(url, follow=True)
            if "text/html" not in response.get("Content-Type", ""):
                continue
            pages += 1
            words = english_words(response.content.decode(), allowed)
            if words:
                failures.append(f"{url} as {role}: {' '.join(words)}")
    assert pages > 150, f"only {pages} pages rendered"
    assert not failures, "English in Chinese pages:\n" + "\n".join(failures)
