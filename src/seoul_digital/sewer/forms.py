from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from seoul_digital.core.models import District
from seoul_digital.sewer.models import DEFECT_CHOICES, Finding, Inspection, ModelVersion

SEVERITY_CHOICES = [("", _("선택")), ("1", _("1 (경미)")), ("2", "2"), ("3", "3"), ("4", "4"), ("5", _("5 (심각)"))]
CLOCK_CHOICES = [("", _("모름"))] + [(str(h), _("%(h)d시") % {"h": h}) for h in range(1, 13)]


class InspectionForm(forms.ModelForm):
    class Meta:
        model = Inspection
        fields = ["district", "pipe_id", "upstream_manhole", "downstream_manhole", "diameter_mm", "material",
                  "length_m", "inspected_on", "contractor", "start_chainage_m", "end_chainage_m", "notes"]
        widgets = {"inspected_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and getattr(user, "role", "") == "district_officer":
            del self.fields["district"]
        else:
            self.fields["district"].queryset = District.objects.restrict(user, "view")

    def clean(self):
        data = super().clean()
        start, end = data.get("start_chainage_m"), data.get("end_chainage_m")
        if start is not None and end is not None and end <= start:
            self.add_error("end_chainage_m", _("끝 거리는 시작 거리보다 커야 합니다."))
        return data


class VideoUploadForm(forms.Form):
    video = forms.FileField(label=_("조사 영상"), help_text=_("MP4, AVI, MKV/WebM, MPEG, WMV. 올리면 바로 AI 분석을 시작합니다."),
                            widget=forms.ClearableFileInput(attrs={"accept": "video/*,.avi,.mkv,.mpg,.mpeg,.wmv"}))


class FindingReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("검토 결과"), choices=[
        (Finding.Decision.ACCEPTED, _("확인")), (Finding.Decision.REJECTED, _("오탐(기각)"))])
    code = forms.ChoiceField(label=_("결함 분류"), choices=DEFECT_CHOICES)
    severity = forms.TypedChoiceField(label=_("심각도"), choices=SEVERITY_CHOICES, coerce=int, required=False,
                                      empty_value=None)
    note = forms.CharField(label=_("메모"), max_length=300, required=False)


class AddFindingForm(forms.Form):
    code = forms.ChoiceField(label=_("결함 분류"), choices=DEFECT_CHOICES)
    start_s = forms.FloatField(label=_("영상 시각(초)"), min_value=0,
                               help_text=_("영상에서 멈춘 시각이 자동으로 들어갑니다."))
    severity = forms.TypedChoiceField(label=_("심각도"), choices=SEVERITY_CHOICES[1:], coerce=int)
    clock = forms.TypedChoiceField(label=_("시계 방향"), choices=CLOCK_CHOICES, coerce=int, required=False,
                                   empty_value=None)
    distance_m = forms.FloatField(label=_("거리(m)"), min_value=0, required=False,
                                  help_text=_("비우면 시작·끝 거리로 보간합니다."))
    note = forms.CharField(label=_("메모"), max_length=300, required=False)


class SurveyForm(forms.Form):
    score = forms.TypedChoiceField(label=_("이 도구에 얼마나 만족하십니까?"), coerce=int, widget=forms.RadioSelect,
                                   choices=[(1, _("1 매우 불만")), (2, _("2 불만")), (3, _("3 보통")),
                                            (4, _("4 만족")), (5, _("5 매우 만족"))])
    comment = forms.CharField(label=_("의견"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))


class ChooseModelForm(forms.Form):
    district = forms.ModelChoiceField(label=_("자치구"), queryset=District.objects.none())
    model_version = forms.ModelChoiceField(label=_("모델 버전"), queryset=ModelVersion.objects.none())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = District.objects.restrict(user, "view")
        self.fields["model_version"].queryset = ModelVersion.objects.restrict(user, "view")
