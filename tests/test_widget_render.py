"""The Python-drawn selects and inputs (core.widget_render) write exactly what
the templates write, widget by widget, in both languages."""

from __future__ import annotations

import datetime

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils import translation
from django.utils.safestring import mark_safe

from core.widget_render import FAST_RENDERER, INPUT_TEMPLATES, SELECT
from core.widgets import DateInput, DateTimeInput
from orgs.models import OrgUnit


class Everything(forms.Form):
    plain = forms.ChoiceField(choices=[("", "---------"), ("a", "A & B"), ("<b>", '"quoted"')])
    optional = forms.ChoiceField(choices=[("", "---------"), ("1", 1), ("2", mark_safe("<i>safe</i>"))], required=False)
    grouped = forms.ChoiceField(
        choices=[("", "all"), ("Fruit <&>", [("apple", "Apple"), ("pear", "Pear")]), ("x", "X")], required=False
    )
    many = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B"), ("c", "C")], required=False)
    yes_no = forms.NullBooleanField(required=False)
    unit = forms.ModelChoiceField(queryset=OrgUnit.objects.order_by("path"), required=False)
    units = forms.ModelMultipleChoiceField(queryset=OrgUnit.objects.order_by("path"), required=False)
    text = forms.CharField(required=False, widget=forms.TextInput(attrs={"placeholder": 'say "hi" <now>'}))
    number = forms.IntegerField(required=False, widget=forms.NumberInput(attrs={"min": 1, "data-x": True}))
    day = forms.DateField(required=False, widget=DateInput())
    moment = forms.DateTimeField(required=False, widget=DateTimeInput())
    hidden = forms.CharField(required=False, widget=forms.HiddenInput)
    email = forms.EmailField(required=False)
    secret = forms.CharField(required=False, widget=forms.PasswordInput(render_value=True))
    search = forms.CharField(required=False, widget=forms.TextInput(attrs={"type": "search", "disabled": False}))
    note = forms.CharField(required=False, widget=forms.Textarea)  # its own template: left to it
    flag = forms.BooleanField(required=False)  # checkbox.html: left to it


DATA = [
    None,
    {
        "plain": "<b>",
        "optional": "1",
        "grouped": "pear",
        "many": ["a", "c"],
        "yes_no": "true",
        "text": "<script>&amp;",
        "number": "5",
        "day": "2026-12-01",
        "moment": "2026-12-01T09:30",
        "hidden": '"x"',
        "email": "a@b.cn",
        "secret": "s3cr&t",
        "search": "zhang",
        "note": "n",
        "flag": "on",
    },
    {"day": "bad", "number": "x", "plain": "nope"},
]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("data", DATA, ids=["unbound", "filled", "invalid"])
def test_it_draws_every_widget_as_its_template_does(tree, language, data):
    if data:
        data = {**data, "unit": str(tree.station_a.pk), "units": [str(tree.a1.pk), str(tree.station_a.pk)]}
    templates = TemplatesSetting()
    with translation.override(language):
        for name in Everything.base_fields:
            slow = Everything(data, renderer=templates, initial={"day": datetime.date(2026, 1, 2)})
            fast = Everything(data, renderer=FAST_RENDERER, initial={"day": datetime.date(2026, 1, 2)})
            assert str(fast[name]) == str(slow[name]), name


def test_it_draws_in_python_only_the_templates_it_copies():
    assert SELECT not in INPUT_TEMPLATES
    widget = {"name": "x", "attrs": {}, "template_name": "elsewhere.html"}
    assert FAST_RENDERER.render("django/forms/widgets/textarea.html", {"widget": {**widget, "value": "v"}}) == (
        TemplatesSetting().render("django/forms/widgets/textarea.html", {"widget": {**widget, "value": "v"}})
    )


def test_it_leaves_an_option_template_of_its_own_to_the_templates():
    class Own(forms.Select):
        option_template_name = "django/forms/widgets/input_option.html"

    class OwnForm(forms.Form):
        x = forms.ChoiceField(choices=[("a", "A")], widget=Own)

    assert str(OwnForm(renderer=FAST_RENDERER)["x"]) == str(OwnForm(renderer=TemplatesSetting())["x"])
