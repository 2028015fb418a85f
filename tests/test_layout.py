"""The frame every page shares (issue 18): an icon where browsers look for one, and a font stack that has Chinese
faces, so that a machine without a default CJK font does not show boxes."""

import re
from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parents[1] / "static"


@pytest.mark.django_db
def test_the_favicon_is_served_where_browsers_ask_for_it(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert re.fullmatch(r"/static/favicon(\.[0-9a-f]+)?\.ico", response["Location"])
    icon = (STATIC / "favicon.ico").read_bytes()
    assert icon[:4] == b"\x00\x00\x01\x00" and int.from_bytes(icon[4:6], "little") == 3  # an icon of three sizes


@pytest.mark.django_db
def test_every_page_links_its_icons(client):
    page = client.get("/login/").content.decode()
    assert 'rel="icon"' in page and "favicon.svg" in page and "favicon" in page.split("favicon.svg", 1)[1]


def test_the_font_stack_names_chinese_faces_before_the_generic_family():
    css = (STATIC / "css" / "app.css").read_text()
    stack = re.search(r"--pico-font-family-sans-serif:([^;]+);", css).group(1)
    faces = [face.strip().strip('"') for face in stack.split(",")]
    generic = faces.index("sans-serif")
    for face in ("PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC"):
        assert faces.index(face) < generic
