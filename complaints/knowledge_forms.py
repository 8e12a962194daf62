"""Shapes of input of the knowledge base and the category tree pages (the rules live in
complaints/services/knowledge.py)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from vanke_crm.forms import StaffForm, model_field

from .forms import CategoryChoice
from .models import Article, Category, Trade


class ArticleSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=64, required=False)
    category = CategoryChoice(
        label=_("Category"), queryset=Category.objects.none(), required=False, empty_label=_("All")
    )

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories


class ArticleForm(StaffForm):
    title = model_field(Article, "title")
    category = CategoryChoice(label=_("Category"), queryset=Category.objects.none(), required=False)
    problem = model_field(Article, "problem", widget=forms.Textarea(attrs={"rows": 3}))
    answer = model_field(Article, "answer", widget=forms.Textarea(attrs={"rows": 4}))
    steps = model_field(Article, "steps", widget=forms.Textarea(attrs={"rows": 5}))
    keywords = model_field(Article, "keywords")
    is_published = model_field(Article, "is_published")

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories


class CategoryAddForm(StaffForm):
    parent = forms.ModelChoiceField(
        label=_("Parent category"),
        queryset=Category.objects.none(),
        required=False,
        empty_label=_("None (a new top-level category)"),
    )
    name = model_field(Category, "name")
    trade = forms.ChoiceField(label=_("Trade"), choices=[("", "—"), *Trade.choices], required=False)

    def __init__(self, *args, parents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = parents


class CategoryEditForm(StaffForm):
    name = model_field(Category, "name")
    trade = forms.ChoiceField(label=_("Trade"), choices=[("", "—"), *Trade.choices], required=False)
    is_active = forms.BooleanField(
        label=_("In use"),
        required=False,
        help_text=_("A category out of use leaves the intake form; its cases keep it."),
    )
