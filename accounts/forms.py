from django import forms

from .models import Organisation
from .params import bounded_formfield


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        formfield_callback = bounded_formfield
        fields = ["kind", "code", "name", "region", "hospital_level", "ownership", "is_active"]


class OrganisationEditForm(OrganisationForm):
    class Meta(OrganisationForm.Meta):
        fields = ["code", "name", "region", "hospital_level", "ownership", "is_active"]
