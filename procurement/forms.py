from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import Product


class ProductForm(forms.ModelForm):
    class Meta:
        model = Product
        fields = [
            "national_drug_code",
            "generic_name",
            "dosage_form",
            "strength_amount",
            "strength_unit",
            "pack_size",
            "smallest_unit",
            "quality_tier",
            "holder",
            "is_active",
        ]


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
