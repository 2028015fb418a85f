"""Forms of the credit pages; they only parse, the services decide."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from core.params import MAX_FORM_INTEGER, BoundedModelChoiceField, BoundedModelMultipleChoiceField
from core.uploads import validate_evidence
from core.widgets import SearchableSelect, SearchableSelectMultiple

from ..labels import FACTS, repair_step_label
from ..models import CreditRecord, Item, Level, catalog_products
from ..services.records import FACT_KINDS, ITEM_FACTS


class DateInput(forms.DateInput):
    input_type = "date"


def _clean_evidence(upload):
    """Size, type and the file's own signature (core/uploads.py)."""
    if upload:
        validate_evidence(upload)
    return upload


class FactsMixin(forms.Form):
    """The benchmark facts of every item; only those the chosen item reads are kept."""

    amount = forms.DecimalField(
        label=_("Amount (yuan)"),
        required=False,
        min_value=0,
        decimal_places=2,
        max_digits=16,
        help_text=_("Kickbacks: the largest single payment; tax: the amount including tax."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, kind in FACT_KINDS.items():
            label = FACTS[name]
            if kind == "bool":
                field = forms.BooleanField(label=label, required=False)
            elif kind == "int":
                field = forms.IntegerField(label=label, required=False, min_value=0, max_value=MAX_FORM_INTEGER)
            elif kind == "decimal":
                field = forms.DecimalField(label=label, required=False, min_value=0, max_digits=16, decimal_places=4)
            else:
                field = forms.ChoiceField(
                    label=label,
                    required=False,
                    choices=[("", "—"), *[(code, text) for code, text in Level.choices if code != "none"]],
                )
            self.fields[f"fact_{name}"] = field

    def facts_for(self, item: str) -> dict:
        facts = {}
        for name in ITEM_FACTS.get(item, []):
            value = self.cleaned_data.get(f"fact_{name}")
            if value in (None, "", False):
                continue
            facts[name] = str(value) if FACT_KINDS[name] == "decimal" else value
        return facts

    def fact_fields(self):
        return [self[f"fact_{name}"] for name in FACT_KINDS]


class RecordForm(FactsMixin):
    supplier = BoundedModelChoiceField(
        label=_("Supplier"), queryset=Organisation.objects.suppliers(), widget=SearchableSelect
    )
    item = forms.ChoiceField(label=_("Catalog item"), choices=Item.choices)
    source = forms.ChoiceField(
        label=_("Source"),
        choices=[
            (CreditRecord.Source.ADMINISTRATIVE_PENALTY, CreditRecord.Source.ADMINISTRATIVE_PENALTY.label),
            (CreditRecord.Source.COURT_JUDGMENT, CreditRecord.Source.COURT_JUDGMENT.label),
            (CreditRecord.Source.PLATFORM_EVENT, CreditRecord.Source.PLATFORM_EVENT.label),
        ],
    )
    document_number = forms.CharField(label=_("Document number (文书号)"), required=False, max_length=100)
    occurred_on = forms.DateField(label=_("Occurred on"), widget=DateInput())
    description = forms.CharField(label=_("Facts in words"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    products = BoundedModelMultipleChoiceField(
        label=_("Products in the case"),
        queryset=catalog_products(),
        required=False,
        widget=SearchableSelectMultiple,
        help_text=_("The supplier's products the conduct concerns; none named means all its products."),
    )
    evidence = forms.FileField(label=_("Judgment or penalty file"), required=False)
    field_order = ["supplier", "item", "source", "document_number", "occurred_on", "amount", "description", "products"]

    def clean_evidence(self):
        return _clean_evidence(self.cleaned_data.get("evidence"))

    def clean_occurred_on(self):
        day = self.cleaned_data["occurred_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The conduct cannot have occurred in the future."))
        return day


class SelfReportForm(FactsMixin):
    item = forms.ChoiceField(label=_("Catalog item"), choices=Item.choices)
    occurred_on = forms.DateField(label=_("Occurred on"), widget=DateInput())
    description = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 4}))
    products = BoundedModelMultipleChoiceField(
        label=_("Products concerned"), queryset=catalog_products().none(), required=False
    )
    evidence = forms.FileField(label=_("Evidence file"), required=False)
    field_order = ["item", "occurred_on", "amount", "description", "products"]

    def __init__(self, *args, supplier=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["products"].queryset = catalog_products().filter(holder=supplier)

    def clean_evidence(self):
        return _clean_evidence(self.cleaned_data.get("evidence"))


class DecisionForm(FactsMixin):
    decision = forms.ChoiceField(label=_("Decision"), choices=CreditRecord.Decision.choices)
    reason = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 3}))
    item = forms.ChoiceField(label=_("Catalog item (when amending)"), choices=Item.choices, required=False)
    field_order = ["decision", "reason", "item", "amount"]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 3}))


class DefenceForm(forms.Form):
    statement = forms.CharField(label=_("Defence statement (申辩)"), widget=forms.Textarea(attrs={"rows": 5}))
    evidence = forms.FileField(label=_("Evidence file"), required=False)

    def clean_evidence(self):
        return _clean_evidence(self.cleaned_data.get("evidence"))


class RepairForm(forms.Form):
    steps = forms.MultipleChoiceField(label=_("Rectification steps taken"), widget=forms.CheckboxSelectMultiple)
    statement = forms.CharField(label=_("Rectification report"), widget=forms.Textarea(attrs={"rows": 5}))
    evidence = forms.FileField(label=_("Evidence file"), required=False)
    commitment_accepted = forms.BooleanField(
        label=_("We commit not to repeat the conduct and accept publication of the repair."), required=False
    )

    def __init__(self, *args, steps=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["steps"].choices = [(step, repair_step_label(step)) for step in steps]

    def clean_evidence(self):
        return _clean_evidence(self.cleaned_data.get("evidence"))


class TipForm(forms.Form):
    supplier_name = forms.CharField(label=_("Enterprise concerned"), max_length=200)
    item = forms.ChoiceField(label=_("Kind of conduct"), choices=Item.choices)
    description = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 5}), min_length=10)
    evidence = forms.FileField(label=_("Evidence file (optional)"), required=False)
    reporter_name = forms.CharField(label=_("Your name (optional)"), max_length=100, required=False)
    reporter_contact = forms.CharField(label=_("How to reach you (optional)"), max_length=200, required=False)

    def clean_evidence(self):
        return _clean_evidence(self.cleaned_data.get("evidence"))


class TipReviewForm(FactsMixin):
    accept = forms.TypedChoiceField(
        label=_("Review"),
        coerce=lambda v: v == "accept",
        choices=[("accept", _("Accept as a record")), ("reject", _("Reject"))],
    )
    reason = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 3}))
    supplier = BoundedModelChoiceField(
        label=_("Supplier"), queryset=Organisation.objects.suppliers(), required=False, widget=SearchableSelect
    )
    occurred_on = forms.DateField(label=_("Occurred on"), widget=DateInput(), required=False)
    field_order = ["accept", "reason", "supplier", "occurred_on", "amount"]


class RunForm(forms.Form):
    as_of = forms.DateField(
        label=_("Rating date"),
        widget=DateInput(),
        required=False,
        help_text=_("Empty: the first day of the current quarter."),
    )
