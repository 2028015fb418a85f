from django import forms

from .models import Organisation


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["kind", "code", "name", "region", "hospital_level", "ownership", "is_active"]


class OrganisationEditForm(OrganisationForm):
    class Meta(OrganisationForm.Meta):
        fields = ["code", "name", "region", "hospital_level", "ownership", "is_active"]
