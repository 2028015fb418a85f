import json
import re
from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.models import Region
from core.params import MAX_FORM_INTEGER, BoundedModelChoiceField, bounded_formfield
from core.widgets import SearchableSelect

from ..engines.rule_sets import PARAMETER_KINDS, PARAMETER_LABELS
from ..models import (
    GROUP_FIELDS,
    PRODUCT_FIELDS,
    ROUND_INPUT_FIELDS,
    AwardRun,
    Product,
    ProductGroup,
    QualityTier,
    RuleSet,
    TenderRound,
)
from ..models.rounds import RoundStatus
from ..services.bidding import MAX_CAPACITY, MAX_PRICE


class ProductForm(forms.ModelForm):
    class Meta:
        model = Product
        formfield_callback = bounded_formfield
        fields = PRODUCT_FIELDS
        widgets = {"holder": SearchableSelect}


class SpreadsheetUploadForm(forms.Form):
    file = forms.FileField(label=_("Spreadsheet (.xlsx or .csv)"))
    # A fresh key is put into every rendered form; a double submit sends the same key and gets the same upload.
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than the upload limit."))
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Upload an Excel (.xlsx) or CSV file."))
        return upload


class RuleSetChoiceField(BoundedModelChoiceField):
    """Rule sets by what they are (label · family · code and version), newest version of each first."""

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", RuleSet.objects.order_by("family", "code", "-version"))
        kwargs.setdefault(
            "help_text", _("What each rule set changes, its source and its parameters: the rule-set library page.")
        )
        super().__init__(**kwargs)

    def label_from_instance(self, obj):
        return f"{obj.label} · {obj.get_family_display()} · {obj.code} v{obj.version}"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class RoundForm(forms.ModelForm):
    class Meta:
        model = TenderRound
        formfield_callback = bounded_formfield
        fields = ROUND_INPUT_FIELDS
        widgets = {
            "demand_opens_at": DateTimeLocalInput(),
            "demand_closes_at": DateTimeLocalInput(),
            "bid_opens_at": DateTimeLocalInput(),
            "bid_closes_at": DateTimeLocalInput(),
            "opening_at": DateTimeLocalInput(),
            "cycle_starts_on": forms.DateInput(attrs={"type": "date"}),
            "regions": forms.CheckboxSelectMultiple(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "rule_set" in self.fields:
            self.fields["rule_set"] = RuleSetChoiceField(label=self.fields["rule_set"].label)
        self.fields["regions"].queryset = Region.objects.filter(level=Region.Level.CITY)
        self.fields["regions"].help_text = _("None chosen: every city of the province.")


class RoundEditForm(RoundForm):
    class Meta(RoundForm.Meta):
        fields = [name for name in RoundForm.Meta.fields if name not in ("code", "rule_set")]


SPEC_CEILING_LINE = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*([A-Za-zμ]*)\s*[=:：]\s*([0-9]+(?:\.[0-9]+)?)\s*$")


class SpecCeilingsField(forms.CharField):
    """Per-specification ceilings as an officer types them, one per line: ``4 mg = 1.2240`` (strength, unit, ceiling
    per smallest unit of that strength). Becomes the list the service checks."""

    widget = forms.Textarea(attrs={"rows": 2, "placeholder": "4 mg = 1.2240"})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(f"{item['strength']} {item['strength_unit']} = {item['ceiling']}" for item in value)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        items = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            match = SPEC_CEILING_LINE.match(line)
            if not match:
                raise forms.ValidationError(
                    _("Line %(number)s: write the strength, its unit and the ceiling, e.g. 4 mg = 1.2240.")
                    % {"number": number}
                )
            strength, unit, ceiling = match.groups()
            items.append({"strength": strength, "strength_unit": unit, "ceiling": ceiling})
        return items


class GroupForm(forms.ModelForm):
    qualifying_tiers = forms.MultipleChoiceField(
        label=_("qualifying quality tiers"), choices=QualityTier.choices, widget=forms.CheckboxSelectMultiple
    )
    spec_ceilings = SpecCeilingsField(
        label=_("ceilings per specification"),
        required=False,
        max_length=2000,
        help_text=_(
            "Only where the published ceiling of a strength does not follow the conversion from the representative "
            "one: one line per strength, e.g. 4 mg = 1.2240 (yuan per smallest unit of that strength)."
        ),
    )

    class Meta:
        model = ProductGroup
        formfield_callback = bounded_formfield
        fields = [*GROUP_FIELDS, "eligible_products"]
        widgets = {"eligible_products": forms.CheckboxSelectMultiple(), "representative_product": SearchableSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        products = Product.objects.filter(is_active=True).select_related("holder")
        generic = self.data.get("generic_name") or (self.instance.generic_name if self.instance.pk else None)
        if generic:
            products = products.filter(generic_name=generic)
        self.fields["eligible_products"].queryset = products
        self.fields["representative_product"].queryset = products
        self.fields["eligible_products"].help_text = _("Products of the group's generic name and dosage form.")


class ExtendDemandForm(forms.Form):
    closes_at = forms.DateTimeField(label=_("New closing time"), widget=DateTimeLocalInput())
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(choices=RoundStatus.choices, widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DemandForm(forms.Form):
    """One quantity (and optional brand) per group of the round."""

    def __init__(self, *args, groups, reports, **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = list(groups)
        for group in self.groups:
            report = reports.get(group.pk)
            # At least one unit, as the spreadsheet and the API require; empty withdraws the group's report.
            # The table heads the columns; each cell still names its group for a screen reader.
            quantity_name = _("%(group)s: annual quantity (smallest units)") % {"group": group}
            self.fields[f"quantity_{group.pk}"] = forms.IntegerField(
                label=str(group),
                min_value=1,
                max_value=MAX_FORM_INTEGER,
                required=False,
                initial=report.quantity if report else None,
                widget=forms.NumberInput(attrs={"aria-label": quantity_name}),
            )
            self.fields[f"brand_{group.pk}"] = BoundedModelChoiceField(
                label=_("Brand used"),
                queryset=Product.objects.filter(generic_name=group.generic_name, dosage_form=group.dosage_form),
                required=False,
                initial=report.brand_id if report else None,
                widget=forms.Select(attrs={"aria-label": _("%(group)s: brand used") % {"group": group}}),
            )

    def rows(self):
        for group in self.groups:
            yield group, self[f"quantity_{group.pk}"], self[f"brand_{group.pk}"]


class BidForm(forms.Form):
    product = BoundedModelChoiceField(label=_("Product"), queryset=Product.objects.none())
    price = forms.DecimalField(
        label=_("Price per pack (yuan)"),
        max_digits=14,
        decimal_places=4,
        min_value=Decimal("0.0001"),
        max_value=MAX_PRICE - Decimal("0.0001"),
    )
    capacity = forms.IntegerField(
        label=_("Supply capacity (smallest units per year)"),
        min_value=1,
        max_value=MAX_CAPACITY,
        required=False,
        help_text=_("Leave empty for no limit."),
    )
    regions = forms.MultipleChoiceField(
        label=_("Supply regions you accept"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every region of the round."),
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100)

    def __init__(self, *args, products, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products
        if products.count() == 1:  # the supplier's only eligible product needs no choosing
            self.fields["product"].initial = products.get().pk
            self.fields["product"].empty_label = None
        self.fields["regions"].choices = [(region.code, region.name) for region in regions]


class AwardComputeForm(forms.Form):
    """Ask for an award computation: the round's rule set or another (what-if), the allocation mode, and optional
    parameter overrides: one field per single-valued parameter, labelled and explained, and the tables (winners by
    bidders, ratios…) as a JSON object for the rare officer who changes them (each key replaces that parameter)."""

    rule_set = RuleSetChoiceField(label=_("Rule set"))
    mode = forms.ChoiceField(label=_("Allocation mode"), choices=AwardRun.Mode.choices, initial=AwardRun.Mode.RULES)
    overrides = forms.CharField(
        label=_("Tables of the rule set (JSON, optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": '{"max_winners_by_bidders": {"2": 1, "3": 2}}'}),
    )

    PREFIX = "parameter_"

    def __init__(self, *args, tender_round, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule_set"].initial = tender_round.rule_set_id
        keep = _("Leave empty to keep the rule set's value.")
        for name, kind in PARAMETER_KINDS.items():
            label = PARAMETER_LABELS.get(name, name)
            if kind in ("decimal", "share"):
                self.fields[self.PREFIX + name] = forms.DecimalField(
                    label=label,
                    required=False,
                    min_value=Decimal(0),
                    max_value=Decimal(1) if kind == "share" else Decimal(10**6),
                    max_digits=13,
                    decimal_places=6,
                    help_text=(_("A share from 0 to 1, e.g. 0.5.") if kind == "share" else _("A number, e.g. 1.8."))
                    + " "
                    + keep,
                )
            elif kind == "flag":
                self.fields[self.PREFIX + name] = forms.TypedChoiceField(
                    label=label,
                    required=False,
                    choices=[("", _("as the rule set says")), ("yes", _("yes")), ("no", _("no"))],
                    coerce=lambda value: value == "yes",
                    empty_value=None,
                )

    def parameter_fields(self):
        """The single-valued parameters' fields, for the page's "change parameters" section."""
        return [self[name] for name in self.fields if name.startswith(self.PREFIX)]

    def clean_overrides(self) -> dict:
        text = self.cleaned_data["overrides"].strip()
        if not text:
            return {}
        try:
            value = json.loads(text)
        except ValueError as error:
            raise forms.ValidationError(_("Not valid JSON: %(error)s") % {"error": error}) from None
        if not isinstance(value, dict):
            raise forms.ValidationError(_('Give a JSON object, e.g. {"max_winners_by_bidders": {"2": 1}}.'))
        return value

    def clean(self):
        cleaned = super().clean()
        overrides = dict(cleaned.get("overrides") or {})
        for name in PARAMETER_KINDS:
            value = cleaned.get(self.PREFIX + name)
            if value is None:
                continue
            if name in overrides:
                self.add_error(self.PREFIX + name, _("This parameter is also given in the JSON below; give it once."))
                continue
            overrides[name] = value if isinstance(value, bool) else format(value.normalize(), "f")
        cleaned["overrides"] = overrides
        return cleaned


class DateInput(forms.DateInput):
    input_type = "date"


class PurchaseLineForm(forms.Form):
    """One order line reported through the browser (the spreadsheet and the API take many)."""

    order_number = forms.CharField(label=_("Order number"), max_length=60)
    ordered_on = forms.DateField(label=_("Order date"), widget=DateInput())
    # Typed or picked from the hospital's own agreements (the page's datalist "agreed-products").
    product = forms.CharField(
        label=_("National drug code"),
        max_length=40,
        widget=forms.TextInput(attrs={"list": "agreed-products", "autocomplete": "off"}),
    )
    quantity = forms.IntegerField(label=_("Quantity (smallest units)"), min_value=1, max_value=MAX_FORM_INTEGER)
    unit_price = forms.DecimalField(label=_("Price per smallest unit"), min_value=0, max_digits=14, decimal_places=4)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100)


class DeliveryForm(forms.Form):
    order_number = forms.CharField(label=_("Order number"), max_length=60)
    ordered_on = forms.DateField(label=_("Order date"), widget=DateInput())
    shipped_on = forms.DateField(label=_("Shipped on"), widget=DateInput())
    quantity = forms.IntegerField(label=_("Quantity (smallest units)"), min_value=1, max_value=MAX_FORM_INTEGER)


class RenewForm(forms.Form):
    quantity = forms.IntegerField(
        label=_("Quantity for the next cycle (smallest units)"), min_value=1, max_value=MAX_FORM_INTEGER
    )


class SupplyFailureForm(forms.Form):
    group = BoundedModelChoiceField(label=_("Group"), queryset=ProductGroup.objects.none())
    supplier = BoundedModelChoiceField(label=_("Winner that cannot supply"), queryset=None, required=False)
    region = BoundedModelChoiceField(label=_("Region"), queryset=Region.objects.filter(level=Region.Level.CITY))
    interruption_days = forms.IntegerField(
        label=_("Days of interruption so far"), min_value=1, max_value=36500, required=False,
        help_text=_("Empty: the supplier gives up the region."),
    )  # fmt: skip
    backup = BoundedModelChoiceField(
        label=_("Backup supplier (empty: the next winner in rank order that supplies the region)"),
        queryset=None, required=False,
    )  # fmt: skip
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, tender_round, supplier=None, **kwargs):
        from accounts.models import Organisation

        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = tender_round.groups.all()
        winners = Organisation.objects.filter(supplier_contracts__round=tender_round).distinct()
        self.fields["supplier"].queryset = winners
        self.fields["backup"].queryset = winners
        if supplier is not None:
            del self.fields["supplier"]
            del self.fields["backup"]
        else:
            self.fields["supplier"].required = True


class RelationForm(forms.Form):
    """A manufacturer names the distributor of one of its products in an area."""

    product = BoundedModelChoiceField(label=_("Product"), queryset=Product.objects.none(), widget=SearchableSelect)
    area = BoundedModelChoiceField(label=_("Area"), queryset=Region.objects.none(), widget=SearchableSelect)
    distributor = BoundedModelChoiceField(
        label=_("Distributor"), queryset=Region.objects.none(), widget=SearchableSelect
    )
    valid_from = forms.DateField(label=_("Valid from"), widget=DateInput())
    valid_to = forms.DateField(
        label=_("Valid until"),
        widget=DateInput(),
        required=False,
        help_text=_("Empty: the end of your agreement's cycle for a VBP product, otherwise the rule set's term."),
    )
    letter_reference = forms.CharField(label=_("Authorisation letter number"), max_length=60)

    def __init__(self, *args, manufacturer, area_level, **kwargs):
        from accounts.models import Organisation

        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = Product.objects.filter(holder=manufacturer, is_active=True)
        self.fields["product"].label_from_instance = lambda product: f"{product} · {product.national_drug_code}"
        self.fields["area"].queryset = Region.objects.filter(level=area_level).select_related("parent")
        self.fields["area"].label_from_instance = lambda region: (
            f"{region.parent.name} · {region.name}" if region.parent_id else region.name
        )
        self.fields["distributor"].queryset = Organisation.objects.filter(
            kind__in=[Organisation.Kind.DISTRIBUTOR, Organisation.Kind.SUPPLIER], is_active=True
        ).exclude(licence_number="")
        self.fields["distributor"].label_from_instance = lambda organisation: (
            f"{organisation.name} · {organisation.licence_number}"
        )

    def clean(self):
        data = super().clean()
        if data.get("valid_from") and data.get("valid_to") and data["valid_to"] < data["valid_from"]:
            self.add_error("valid_to", _("The relation must end on or after its first day."))
        return data


class RelationRefuseForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=[])
    text = forms.CharField(
        label=_("Explanation"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        from ..models.trading import RefusalReason

        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = RefusalReason.choices


class RelationRevokeForm(forms.Form):
    from_day = forms.DateField(label=_("Revoked from"), widget=DateInput())
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class DeliveryAddressForm(forms.ModelForm):
    class Meta:
        from ..models import DeliveryAddress

        model = DeliveryAddress
        formfield_callback = bounded_formfield
        fields = ["name", "street", "county", "distance_km", "contact", "is_active"]
        widgets = {"county": SearchableSelect}
        help_texts = {
            "distance_km": _("Beyond the trading rule set's distance (50 km under Hunan 2025) it is a remote town, "
                             "with longer delivery deadlines."),
        }  # fmt: skip

    def __init__(self, *args, choose_institution=False, **kwargs):
        from accounts.models import Organisation

        super().__init__(*args, **kwargs)
        if choose_institution:
            self.fields = {
                "organisation": BoundedModelChoiceField(
                    label=_("Institution"), queryset=Organisation.objects.hospitals(), widget=SearchableSelect
                ),
                **self.fields,
            }
        self.fields["county"].queryset = Region.objects.filter(level=Region.Level.COUNTY).select_related("parent")
        self.fields["county"].label_from_instance = lambda region: f"{region.parent.name} · {region.name}"

    def _post_clean(self):
        # The service checks and saves (one place for the rules); the model's own checks would run half of them.
        pass


class OrderForm(forms.Form):
    address = BoundedModelChoiceField(label=_("Deliver to"), queryset=Region.objects.none())
    urgency = forms.ChoiceField(label=_("Urgency"), choices=[])
    emergency_reason = forms.CharField(
        label=_("Why it is an emergency"), max_length=300, required=False,
        help_text=_("Emergency orders are answered within hours, not working days."),
    )  # fmt: skip

    def __init__(self, *args, buyer, **kwargs):
        from ..models.trading import DeliveryAddress, Urgency

        super().__init__(*args, **kwargs)
        self.fields["address"].queryset = DeliveryAddress.objects.filter(organisation=buyer, is_active=True)
        self.fields["address"].label_from_instance = lambda address: f"{address.name} · {address.street}"
        self.fields["urgency"].choices = Urgency.choices


class OrderLineForm(forms.Form):
    """One product of the draft, with the distributor chosen among those serving the address's area."""

    offer = forms.ChoiceField(label=_("Product and distributor"), choices=[], widget=SearchableSelect)
    quantity = forms.IntegerField(label=_("Quantity (packs)"), min_value=1, max_value=10_000_000)

    def __init__(self, *args, offers, **kwargs):
        super().__init__(*args, **kwargs)
        self.offers = {f"{product.pk}:{distributor.pk}": (product, distributor) for product, distributor in offers}
        self.fields["offer"].choices = [("", "---------")] + [
            (key, f"{product} · {product.national_drug_code} — {distributor.name}")
            for key, (product, distributor) in self.offers.items()
        ]

    def clean_offer(self):
        return self.offers[self.cleaned_data["offer"]]


class LineConfirmForm(forms.Form):
    quantity = forms.IntegerField(label=_("Packs you will deliver"), min_value=1, max_value=10_000_000)
    reason = forms.ChoiceField(label=_("Why not the rest"), choices=[], required=False)
    text = forms.CharField(label=_("Explanation"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        from ..models.trading import LineRefusal

        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = [("", "---------"), *LineRefusal.choices]


class LineRefuseForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=[])
    text = forms.CharField(label=_("Explanation"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        from ..models.trading import LineRefusal

        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = LineRefusal.choices


class ShipLineForm(forms.Form):
    """One order line's batch on the shipping page (one form per line still owed, prefixed by the line's id)."""

    quantity = forms.IntegerField(label=_("Packs"), min_value=0, max_value=10_000_000, required=False)
    batch_number = forms.CharField(label=_("Batch number"), max_length=40, required=False)
    expiry_date = forms.DateField(
        label=_("Expiry date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    upstream_invoice = forms.CharField(label=_("Manufacturer's invoice number"), max_length=40, required=False)

    def clean(self):
        values = super().clean()
        if values.get("quantity"):
            for name in ("batch_number", "expiry_date"):
                if not values.get(name):
                    self.add_error(name, _("Required for packs shipped."))
        return values


class ArriveForm(forms.Form):
    arrived_at = forms.DateTimeField(label=_("Arrived at"), widget=DateTimeLocalInput())


class ReceiptForm(forms.Form):
    received = forms.IntegerField(label=_("Packs accepted"), min_value=0, max_value=10_000_000)
    reason = forms.CharField(label=_("Why the rest is rejected"), max_length=300, required=False)
    arrived_at = forms.DateTimeField(label=_("Arrived at"), widget=DateTimeLocalInput(), required=False)
    correction = forms.CharField(label=_("Why the receipt is corrected"), max_length=300, required=False)


class ReturnForm(forms.Form):
    quantity = forms.IntegerField(label=_("Packs to return"), min_value=1, max_value=10_000_000)
    reason = forms.CharField(label=_("Reason for the return"), max_length=300)


class ReturnRefuseForm(forms.Form):
    text = forms.CharField(label=_("Why the return is refused"), max_length=300)


class ShortCloseForm(forms.Form):
    reason = forms.CharField(label=_("Why the rest is cancelled"), max_length=300)
