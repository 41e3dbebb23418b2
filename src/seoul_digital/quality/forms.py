"""Forms of the quality app (validation of the spec is in ``services.validate_spec``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from seoul_digital.quality.models import Dataset, FindingReview


class DatasetForm(forms.ModelForm):
    class Meta:
        model = Dataset
        fields = ["name", "portal_id", "provider", "category", "district", "description",
                  "target_rate", "status", "spec_yaml"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "spec_yaml": forms.Textarea(attrs={"rows": 10, "spellcheck": "false",
                                               "class": "code"}),
        }

    def __init__(self, *args, limited: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_rate"].help_text = _("0.9997은 99.97%입니다.")
        if limited:  # district officers edit description and spec, not status or district
            for name in ("status", "district"):
                self.fields.pop(name)


class UploadForm(forms.Form):
    file = forms.FileField(label=_("파일(CSV, XLSX, XLS)"),
                           help_text=_("CP949·UTF-8 모두 됩니다. 큰 파일도 올릴 수 있습니다."))
    note = forms.CharField(label=_("변경 내용"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class AssignForm(forms.Form):
    supporter = forms.ModelChoiceField(label=_("데이터 서포터즈"), queryset=None)

    def __init__(self, *args, supporters=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supporter"].queryset = supporters
        self.fields["supporter"].label_from_instance = lambda u: f"{u.display_name} ({u.username})"


class ReviewForm(forms.Form):
    rule = forms.CharField(widget=forms.HiddenInput)
    column = forms.CharField(widget=forms.HiddenInput, required=False)
    decision = forms.ChoiceField(label=_("판단"), choices=[("", _("— 고르세요 —"))] + [
        c for c in FindingReview.Decision.choices if c[0] != FindingReview.Decision.PENDING])
    comment = forms.CharField(label=_("의견"), required=False,
                              widget=forms.TextInput(attrs={"size": 40}))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("결정"), choices=[("approve", _("승인")), ("return", _("반려"))],
                                 widget=forms.RadioSelect)
    comment = forms.CharField(label=_("의견"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
