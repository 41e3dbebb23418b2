from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from seoul_digital.siting.models import SitingRun

RADIUS_CHOICES = [("50", _("50 m (고정형 카메라)")), ("100", _("100 m (회전형 카메라)"))]
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class RunForm(forms.Form):
    """Conditions of a recommendation. Variable multipliers are added per district."""

    title = forms.CharField(label=_("제목(선택)"), max_length=200, required=False)
    mode = forms.ChoiceField(label=_("몇 곳을 고를까요?"), choices=SitingRun.Mode.choices,
                             initial=SitingRun.Mode.KNEE, widget=forms.RadioSelect)
    count = forms.IntegerField(label=_("설치 개소 수"), min_value=1, max_value=3000, required=False)
    budget_krw = forms.IntegerField(label=_("예산(원)"), min_value=1, required=False,
                                    help_text=_("1개소 설치비로 나눈 만큼 설치합니다."))
    target_percent = forms.DecimalField(label=_("목표 커버율(%)"), min_value=1, max_value=100,
                                        decimal_places=1, required=False,
                                        help_text=_("기존 CCTV를 포함해 수요의 몇 %를 감시할지"))
    radius = forms.ChoiceField(label=_("새 카메라 감시 반경"), choices=RADIUS_CHOICES, initial="50")
    unit_cost_krw = forms.IntegerField(label=_("1개소 설치비(원)"), min_value=1, required=False,
                                       help_text=_("비우면 가중치 파일의 값(기본 2,500만 원)"))
    existing_file = forms.FileField(label=_("기존 CCTV 파일(선택)"), required=False,
                                    help_text=_("전국CCTV표준데이터 형식 CSV(위도, 경도, 카메라대수). "
                                                "올리면 자료 폴더의 기존 CCTV 대신 씁니다."))

    def __init__(self, *args, variables: list[tuple[str, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.variable_names = [v for v, _label in variables]
        for var, label in variables:
            self.fields[f"w_{var}"] = forms.DecimalField(
                label=label, min_value=0, max_value=5, decimal_places=2, initial=1, required=False,
                widget=forms.NumberInput(attrs={"step": "0.5"}))

    def weight_fields(self):
        return [self[f"w_{v}"] for v in self.variable_names]

    def clean_existing_file(self):
        f = self.cleaned_data.get("existing_file")
        if f and f.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("파일이 너무 큽니다(20 MB 이하)."))
        return f

    def clean(self):
        data = super().clean()
        mode = data.get("mode")
        needed = {SitingRun.Mode.COUNT: "count", SitingRun.Mode.BUDGET: "budget_krw",
                  SitingRun.Mode.TARGET: "target_percent"}.get(mode)
        if needed and data.get(needed) in (None, ""):
            self.add_error(needed, _("이 방식에는 값을 넣어야 합니다."))
        return data

    def parameters(self) -> dict:
        d = self.cleaned_data
        params: dict = {"radius": float(d["radius"])}
        mode = d["mode"]
        if mode == SitingRun.Mode.COUNT:
            params["count"] = int(d["count"])
        elif mode == SitingRun.Mode.BUDGET:
            params["budget_krw"] = int(d["budget_krw"])
        elif mode == SitingRun.Mode.TARGET:
            params["target_coverage"] = float(d["target_percent"]) / 100
        if d.get("unit_cost_krw"):
            params["unit_cost_krw"] = int(d["unit_cost_krw"])
        multipliers = {v: float(d[f"w_{v}"]) for v in self.variable_names
                       if d.get(f"w_{v}") is not None and float(d[f"w_{v}"]) != 1.0}
        if multipliers:
            params["weight_multipliers"] = multipliers
        return params


class WeightsForm(forms.Form):
    yaml_text = forms.CharField(label=_("가중치(YAML)"), strip=False, widget=forms.Textarea(attrs={"rows": 30, "spellcheck": "false"}))
