from django import forms
from django.utils.translation import gettext_lazy as _

from seoul_digital.governance.models import (
    AuditItem, Board, BoardRole, BudgetAdjustment, CostLine, ExtraPersonnel, FinanceFigure,
    PositionGrade, Spending, SpendingImport, Unit,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class UnitForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = ["code", "name_ko", "name_en", "kind", "parent", "duties_ko", "duties_en",
                  "programmes", "active", "sort_order"]
        widgets = {"duties_ko": forms.Textarea(attrs={"rows": 4}),
                   "duties_en": forms.Textarea(attrs={"rows": 3}),
                   "programmes": forms.CheckboxSelectMultiple}


class PositionGradeForm(forms.ModelForm):
    class Meta:
        model = PositionGrade
        fields = ["name_ko", "name_en", "quota", "current", "counted_on", "sort_order"]
        widgets = {"counted_on": DATE}


class ExtraPersonnelForm(forms.ModelForm):
    class Meta:
        model = ExtraPersonnel
        fields = ["name_ko", "name_en", "count", "sort_order"]


class BoardForm(forms.ModelForm):
    class Meta:
        model = Board
        fields = ["name_ko", "name_en", "member_quota", "functions_ko", "functions_en"]
        widgets = {"functions_ko": forms.Textarea(attrs={"rows": 4}),
                   "functions_en": forms.Textarea(attrs={"rows": 3})}


class BoardRoleForm(forms.ModelForm):
    class Meta:
        model = BoardRole
        fields = ["category", "appointment", "seats_filled", "note_ko", "note_en", "sort_order"]


class FinanceFigureForm(forms.ModelForm):
    class Meta:
        model = FinanceFigure
        fields = ["amount_eok"]


ORG_FORMS = {"unit": UnitForm, "position": PositionGradeForm, "extra": ExtraPersonnelForm,
             "board": BoardForm, "boardrole": BoardRoleForm, "finance": FinanceFigureForm}


class ThresholdForm(forms.Form):
    alert_threshold_pp = forms.DecimalField(
        label=_("경보 기준(%p)"), min_value=0.1, max_value=100, decimal_places=1,
        help_text=_("누적 집행률이 계획보다 이 값(퍼센트포인트) 넘게 뒤처지면 경보를 냅니다."))


class AdjustmentForm(forms.ModelForm):
    class Meta:
        model = BudgetAdjustment
        fields = ["kind", "date", "programme", "source_programme", "amount_thousand_krw", "reason"]
        widgets = {"date": DATE, "reason": forms.Textarea(attrs={"rows": 2})}


class SpendingForm(forms.ModelForm):
    class Meta:
        model = Spending
        fields = ["programme", "cost_line", "date", "amount_krw", "description"]
        widgets = {"date": DATE}

    def __init__(self, *args, programmes=None, fiscal_year=None, **kwargs):
        super().__init__(*args, **kwargs)
        if programmes is not None:
            self.fields["programme"].queryset = programmes
            if programmes.count() == 1:
                self.fields["programme"].initial = programmes.first()
        lines = CostLine.objects.filter(fiscal_year=fiscal_year) if fiscal_year else CostLine.objects.none()
        if programmes is not None:
            lines = lines.filter(programme__in=programmes)
        self.fields["cost_line"].queryset = lines
        self.fields["cost_line"].required = False
        self.fields["amount_krw"].min_value = 1
        self.fields["amount_krw"].widget.attrs["min"] = 1


class ImportForm(forms.Form):
    file = forms.FileField(label=_("집행 내역 파일 (CSV, XLSX)"),
                           help_text=_("열: 집행일, 사업(코드나 이름), 금액(원), 집행 내용. "
                                       "CSV는 UTF-8과 CP949 모두 읽습니다."))
    mode = forms.ChoiceField(label=_("가져오기 방식"), choices=SpendingImport.Mode.choices,
                             widget=forms.RadioSelect, initial=SpendingImport.Mode.VALID_ROWS)


class ApplyImportForm(forms.Form):
    mode = forms.ChoiceField(label=_("가져오기 방식"), choices=SpendingImport.Mode.choices,
                             widget=forms.RadioSelect)


class AuditItemForm(forms.ModelForm):
    class Meta:
        model = AuditItem
        fields = ["title", "kind", "summary", "action_plan", "owner_unit", "due_date", "status"]
        widgets = {"due_date": DATE, "summary": forms.Textarea(attrs={"rows": 4}),
                   "action_plan": forms.Textarea(attrs={"rows": 4})}


class ProgressNoteForm(forms.Form):
    date = forms.DateField(label=_("일자"), widget=DATE)
    text = forms.CharField(label=_("진행 내용"), widget=forms.Textarea(attrs={"rows": 3}),
                           max_length=4000)
    status_after = forms.ChoiceField(
        label=_("상태 변경"), required=False,
        choices=[("", _("바꾸지 않음"))] + list(AuditItem.Status.choices))


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("증빙 파일"))
    description = forms.CharField(label=_("설명"), max_length=300, required=False)


class QuarterForm(forms.Form):
    quarter = forms.TypedChoiceField(label=_("기준 분기"), coerce=int, required=False,
                                     choices=[(1, _("1분기")), (2, _("2분기")), (3, _("3분기")),
                                              (4, _("4분기"))])
