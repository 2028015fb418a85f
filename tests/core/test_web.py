"""The page side of a service call: one outcome message per button, a refusal on the form that was submitted."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory

from core.errors import DomainError
from core.web import perform, refusals_on


def _request():
    request = RequestFactory().post("/x/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def _refuse():
    raise DomainError("不能这样做", code="nope")


def test_a_button_that_succeeds_shows_its_success_and_goes_on():
    request, done = _request(), []
    response = perform(request, lambda: done.append(1), "已保存", "/next/")
    assert done == [1] and response.status_code == 302 and response.url == "/next/"
    assert [(m.level_tag, m.message) for m in get_messages(request)] == [("success", "已保存")]


def test_a_refused_button_shows_the_refusal_and_not_the_success():
    request = _request()
    response = perform(request, _refuse, "已保存", "/next/")
    assert response.url == "/next/"
    assert [(m.level_tag, m.message) for m in get_messages(request)] == [("error", "不能这样做")]


def test_other_errors_are_not_swallowed():
    with pytest.raises(ZeroDivisionError):
        perform(_request(), lambda: 1 / 0, "已保存", "/next/")


class _Form(forms.Form):
    name = forms.CharField()


def test_a_refusal_becomes_the_forms_error_and_keeps_what_was_typed():
    form = _Form({"name": "甲"})
    assert form.is_valid()
    with refusals_on(form):
        _refuse()
    assert not form.is_valid()
    assert form.non_field_errors() == ["不能这样做"] and form.data["name"] == "甲"


def test_a_form_whose_service_accepts_stays_valid():
    form = _Form({"name": "甲"})
    assert form.is_valid()
    with refusals_on(form):
        pass
    assert form.is_valid() and not form.errors


def test_a_refusal_about_one_field_is_shown_on_that_field():
    form = _Form({"name": "甲"})
    assert form.is_valid()
    with refusals_on(form, "name"):
        _refuse()
    assert form.errors == {"name": ["不能这样做"]} and not form.non_field_errors()
