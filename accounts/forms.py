from django import forms

from core.params import bounded_formfield

from .models import Organisation


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        formfield_callback = bounded_formfield
        fields = [
            "kind", "code", "name", "region", "hospital_level", "ownership",
            "licence_number", "licence_scope", "licence_expires",
            "address", "contact_name", "contact_phone", "contact_email", "is_active",
        ]  # fmt: skip
        widgets = {"licence_expires": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class OrganisationEditForm(OrganisationForm):
    class Meta(OrganisationForm.Meta):
        fields = [
            "code", "name", "region", "hospital_level", "ownership",
            "licence_number", "licence_scope", "licence_expires",
            "address", "contact_name", "contact_phone", "contact_email", "is_active",
        ]  # fmt: skip
