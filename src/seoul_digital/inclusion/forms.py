"""Forms: plain labels, one question at a time where it helps, and the weekly time grid."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from seoul_digital.core.models import District
from seoul_digital.inclusion.engine.schedule import BLOCKS, WindowError, block_window, parse_windows
from seoul_digital.inclusion.models import (
    Content,
    Device,
    Facility,
    FeeSchedule,
    Gender,
    HelpdeskTicket,
    Language,
    Learner,
    Lesson,
    Level,
    Match,
    Repetition,
    Robot,
    RobotClass,
    Supporter,
)

DAY_LABELS = [_("월"), _("화"), _("수"), _("목"), _("금"), _("토"), _("일")]
BLOCK_LABELS = {"am": _("오전 9~12시"), "pm": _("오후 1~5시"), "eve": _("저녁 6~8시")}
GRID_CHOICES = [(f"{day}-{block}", f"{DAY_LABELS[day]} {BLOCK_LABELS[block]}")
                for day in range(7) for block in BLOCKS]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class WeeklyTimesMixin(forms.Form):
    """A 7-day × 3-block grid of check boxes plus an optional free-text line."""

    slots = forms.MultipleChoiceField(label=_("가능한 요일과 시간"), choices=GRID_CHOICES,
                                      required=False, widget=forms.CheckboxSelectMultiple)
    extra_times = forms.CharField(
        label=_("다른 시간(직접 적기)"), required=False, max_length=300,
        help_text=_("위에 없는 시간만 적으세요. 예: 화 10:00-11:30; 목 14:00-16:00"))

    def clean_extra_times(self):
        text = self.cleaned_data.get("extra_times", "")
        try:
            return parse_windows(text)
        except WindowError:
            raise forms.ValidationError(_("'%(text)s'을(를) 읽지 못했습니다. '화 10:00-11:30'처럼 요일과 시간을 적으세요.")
                                        % {"text": text}) from None

    def windows(self):
        chosen = []
        for key in self.cleaned_data.get("slots", []):
            day, block = key.split("-")
            chosen.append(block_window(int(day), block))
        return sorted(set(chosen) | set(self.cleaned_data.get("extra_times") or ()))

    @staticmethod
    def initial_for(windows) -> dict:
        slots, extra = [], []
        for w in windows:
            for block, (start, end) in BLOCKS.items():
                if (w.start, w.end) == (start, end):
                    slots.append(f"{w.day}-{block}")
                    break
            else:
                extra.append(w.label())
        return {"slots": slots, "extra_times": "; ".join(extra)}

    def grid_rows(self):
        """Rows for the template's table: (block label, [(day label, value, checked, id)])."""
        bound = self["slots"]
        checked = set(bound.value() or [])
        rows = []
        for block in BLOCKS:
            cells = []
            for day in range(7):
                value = f"{day}-{block}"
                cells.append({"day": DAY_LABELS[day], "value": value, "checked": value in checked,
                              "id": f"id_slots_{day}_{block}",
                              "label": f"{DAY_LABELS[day]} {BLOCK_LABELS[block]}"})
            rows.append({"label": BLOCK_LABELS[block], "cells": cells})
        return rows


def _districts_for(user):
    districts = District.objects.order_by("name_ko")
    if getattr(user, "role", None) == "district_officer":
        districts = districts.filter(pk=user.district_id)
    return districts


class LearnerForm(WeeklyTimesMixin):
    name = forms.CharField(label=_("이름"), max_length=40)
    phone = forms.CharField(label=_("전화번호"), max_length=30,
                            help_text=_("휴대전화나 집 전화. 예: 010-1234-5678, 02-123-4567"),
                            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off",
                                                          "inputmode": "tel"}))
    birth_date = forms.DateField(label=_("생년월일"), widget=DateInput())
    gender = forms.ChoiceField(label=_("성별"), choices=[("", _("말하지 않음"))] + list(Gender.choices),
                               required=False)
    district = forms.ModelChoiceField(label=_("사는 자치구"), queryset=District.objects.none())
    address_area = forms.CharField(label=_("사는 동네(동 이름)"), max_length=40,
                                   help_text=_("예: 역삼1동. 자세한 주소는 받지 않습니다."))
    device = forms.ChoiceField(label=_("쓰는 휴대전화"), choices=Device.choices,
                               widget=forms.RadioSelect)
    language = forms.ChoiceField(label=_("편한 언어"), choices=Language.choices, initial="ko")
    gender_preference = forms.ChoiceField(
        label=_("원하는 지원단 성별"), choices=[("", _("상관없음"))] + list(Gender.choices),
        required=False)
    channel = forms.ChoiceField(label=_("어떻게 신청했나요"), choices=Learner.Channel.choices,
                                widget=forms.RadioSelect, initial="phone")
    notes = forms.CharField(label=_("메모"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    consent = forms.BooleanField(label=_("개인정보 수집·이용에 동의를 받았습니다"), required=False,
                                 help_text=_("이름, 전화번호, 생년월일, 사는 동네를 교육 연결에만 씁니다."))

    field_order = ["name", "phone", "birth_date", "gender", "district", "address_area", "device",
                   "language", "gender_preference", "slots", "extra_times", "channel", "notes",
                   "consent"]

    def __init__(self, *args, user=None, edit=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = _districts_for(user)
        if edit:
            del self.fields["consent"]
            del self.fields["channel"]


class SupporterForm(WeeklyTimesMixin):
    name = forms.CharField(label=_("이름"), max_length=40)
    phone = forms.CharField(label=_("전화번호"), max_length=30,
                            widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}))
    birth_date = forms.DateField(label=_("생년월일"), widget=DateInput())
    gender = forms.ChoiceField(label=_("성별"), choices=[("", _("말하지 않음"))] + list(Gender.choices),
                               required=False)
    home_district = forms.ModelChoiceField(label=_("사는 자치구"), queryset=District.objects.none())
    districts = forms.ModelMultipleChoiceField(
        label=_("활동할 자치구"), queryset=District.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("고르지 않으면 사는 자치구에서만 활동합니다. 이웃 자치구는 매칭 때 함께 봅니다."))
    devices = forms.MultipleChoiceField(label=_("다룰 줄 아는 기기"), choices=Device.choices,
                                        widget=forms.CheckboxSelectMultiple)
    levels = forms.MultipleChoiceField(label=_("가르칠 수 있는 수준"), choices=Level.choices,
                                       widget=forms.CheckboxSelectMultiple)
    languages = forms.MultipleChoiceField(label=_("할 수 있는 언어"), choices=Language.choices,
                                          widget=forms.CheckboxSelectMultiple, initial=["ko"],
                                          required=False)
    max_learners = forms.IntegerField(label=_("동시에 맡을 교육생 수"), min_value=1, max_value=15,
                                      initial=6)
    experience = forms.CharField(label=_("IT 경력"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 3}))
    motivation = forms.CharField(label=_("지원 동기"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 3}))

    field_order = ["name", "phone", "birth_date", "gender", "home_district", "districts",
                   "devices", "levels", "languages", "max_learners", "slots", "extra_times",
                   "experience", "motivation"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["home_district"].queryset = _districts_for(user)
        self.fields["districts"].queryset = District.objects.order_by("name_ko")


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("다음 단계"), choices=Supporter.Stage.choices)
    training_completed_on = forms.DateField(label=_("직무 교육 수료일"), required=False,
                                            widget=DateInput())
    note = forms.CharField(label=_("메모"), required=False, max_length=300)

    def __init__(self, *args, supporter=None, **kwargs):
        super().__init__(*args, **kwargs)
        from seoul_digital.inclusion.services import STAGE_MOVES

        if supporter is not None:
            allowed = STAGE_MOVES.get(supporter.stage, ())
            self.fields["stage"].choices = [(s, Supporter.Stage(s).label) for s in allowed]


class LinkAccountForm(forms.Form):
    """Pick the login account (어디나지원단 role, not yet linked) a supporter signs in with."""

    account = forms.ModelChoiceField(label=_("로그인 계정"), queryset=None,
                                     empty_label=_("연결할 계정을 고르세요"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        from seoul_digital.core.roles import Role

        self.fields["account"].queryset = (get_user_model().objects
                                           .filter(role=Role.SUPPORTER, is_active=True,
                                                   inclusion_supporter__isnull=True)
                                           .order_by("username"))


class DiagnosisForm(forms.Form):
    """One radio group per can-do statement, grouped by skill in the template."""

    def __init__(self, *args, questionnaire=None, **kwargs):
        super().__init__(*args, **kwargs)
        from seoul_digital.inclusion.engine.diagnosis import ANSWER_SCALE

        english = _english()
        choices = [(str(v), en if english else ko) for v, ko, en in ANSWER_SCALE]
        self.skills = []
        for skill in questionnaire.form.skills:
            names = []
            for q in skill.questions:
                name = "q_" + q.code.replace(".", "_")
                self.fields[name] = forms.ChoiceField(
                    label=q.text_en if english else q.text_ko, choices=choices,
                    widget=forms.RadioSelect)
                self.fields[name].question_code = q.code
                names.append(name)
            self.skills.append((skill.name_en if english else skill.name_ko, names))

    def answers(self) -> dict:
        return {self.fields[n].question_code: int(v) for n, v in self.cleaned_data.items()}

    def skill_groups(self):
        return [(title, [self[n] for n in names]) for title, names in self.skills]


def _english() -> bool:
    from django.utils.translation import get_language

    return (get_language() or "ko").startswith("en")


class MatchRunForm(forms.Form):
    district = forms.ModelChoiceField(label=_("자치구"), queryset=District.objects.order_by("name_ko"),
                                      required=False, empty_label=_("서울 전체"))
    allow_adjacent = forms.BooleanField(label=_("이웃 자치구 지원단도 연결"), initial=True,
                                        required=False)
    max_travel_minutes = forms.IntegerField(
        label=_("이동 시간 한도(분)"), required=False, min_value=10, max_value=180,
        help_text=_("적으면 이 시간 안에 갈 수 있는 지원단도 연결합니다(추정 시간). 비우면 쓰지 않습니다."))


class RejectForm(forms.Form):
    note = forms.CharField(label=_("반려하는 까닭"), max_length=300)


class RespondForm(forms.Form):
    answer = forms.ChoiceField(label=_("이 교육생을 맡으시겠어요?"),
                               choices=[("accept", _("네, 맡겠습니다")), ("decline", _("아니요, 맡기 어렵습니다"))],
                               widget=forms.RadioSelect)
    note = forms.CharField(label=_("맡기 어려운 까닭(거절할 때)"), required=False, max_length=300)


class CloseForm(forms.Form):
    reason = forms.ChoiceField(label=_("끝내는 까닭"), choices=Match.CloseReason.choices)
    note = forms.CharField(label=_("메모"), required=False, max_length=300,
                           help_text=_("수료가 아니면 꼭 적어 주세요."))
    rematch = forms.BooleanField(label=_("교육생을 다른 지원단과 다시 연결"), required=False,
                                 help_text=_("고르지 않으면 교육생은 '그만둠'이 됩니다(수료 제외)."))


class LessonBookForm(forms.Form):
    date = forms.DateField(label=_("날짜"), widget=DateInput())
    start_time = forms.TimeField(label=_("시작 시각"), widget=TimeInput())
    minutes = forms.IntegerField(label=_("수업 시간(분)"), min_value=10, max_value=480, initial=90)
    place_type = forms.ChoiceField(label=_("장소"), choices=Lesson.PlaceType.choices)
    place_note = forms.CharField(label=_("장소 설명"), required=False, max_length=100,
                                 help_text=_("예: 역삼1동 주민센터 2층"))

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day < timezone.localdate() - dt.timedelta(days=31):
            raise forms.ValidationError(_("한 달보다 더 지난 날짜에는 예약할 수 없습니다."))
        return day


class LessonLogForm(forms.Form):
    status = forms.ChoiceField(label=_("수업 결과"), choices=Lesson.Status.choices,
                               widget=forms.RadioSelect)
    attendance = forms.ChoiceField(label=_("교육생 출석"), choices=[("", _("해당 없음"))] + list(
        Lesson.Attendance.choices), required=False, widget=forms.RadioSelect)
    minutes = forms.IntegerField(label=_("실제 수업 시간(분)"), min_value=10, max_value=480)
    contents = forms.ModelMultipleChoiceField(label=_("다룬 콘텐츠"), queryset=Content.objects.none(),
                                              required=False, widget=forms.CheckboxSelectMultiple)
    satisfaction = forms.TypedChoiceField(
        label=_("교육생 만족도"), required=False, coerce=int, empty_value=None,
        choices=[("", _("묻지 않음")), ("5", _("5 아주 좋음")), ("4", _("4 좋음")), ("3", _("3 보통")),
                 ("2", _("2 아쉬움")), ("1", _("1 많이 아쉬움"))])
    notes = forms.CharField(label=_("수업 메모"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contents"].queryset = Content.objects.filter(active=True)


class RepetitionForm(forms.Form):
    content = forms.ModelChoiceField(label=_("반복할 콘텐츠"), queryset=Content.objects.none())
    mode = forms.ChoiceField(label=_("방식"), choices=Repetition.Mode.choices, widget=forms.RadioSelect)
    robot_class = forms.ModelChoiceField(label=_("참여할 로봇 수업"), queryset=RobotClass.objects.none(),
                                         required=False)
    due_on = forms.DateField(label=_("언제까지"), required=False, widget=DateInput())
    note = forms.CharField(label=_("메모"), required=False, max_length=200)

    def __init__(self, *args, learner=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["content"].queryset = Content.objects.filter(active=True)
        if learner is not None:
            self.fields["robot_class"].queryset = RobotClass.objects.filter(
                pk__in=list(RobotClass.objects.filter(district=learner.district)
                            .order_by("-date").values_list("pk", flat=True)[:50]))


class TicketForm(forms.Form):
    learner_id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    district = forms.ModelChoiceField(label=_("자치구"), queryset=District.objects.none(), required=False,
                                      help_text=_("교육생과 관련된 상담이면 교육생의 자치구를 씁니다."))
    channel = forms.ChoiceField(label=_("어떻게 물어 왔나요"), choices=HelpdeskTicket.Channel.choices,
                                widget=forms.RadioSelect, initial="phone")
    category = forms.ChoiceField(label=_("무엇에 관한 문의인가요"), choices=HelpdeskTicket.Category.choices,
                                 widget=forms.RadioSelect)
    question = forms.CharField(label=_("문의 내용"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = _districts_for(user)


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("답변"), widget=forms.Textarea(attrs={"rows": 4}))
    resolve = forms.BooleanField(label=_("해결되었습니다"), required=False, initial=True)


class FeeScheduleForm(forms.ModelForm):
    class Meta:
        model = FeeSchedule
        fields = ["effective_from", "rate_per_session", "session_minutes", "monthly_cap_minutes",
                  "min_paid_minutes", "pay_no_show", "sessions_per_learner_month", "note"]
        widgets = {"effective_from": DateInput()}


class FacilityForm(forms.Form):
    name = forms.CharField(label=_("시설 이름"), max_length=80)
    district = forms.ModelChoiceField(label=_("자치구"), queryset=District.objects.none())
    kind = forms.ChoiceField(label=_("종류"), choices=Facility.Kind.choices)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = _districts_for(user)


class RobotForm(forms.Form):
    serial = forms.CharField(label=_("일련번호"), max_length=30, help_text=_("예: RB-GN-041"))
    district = forms.ModelChoiceField(label=_("자치구"), queryset=District.objects.none())
    facility = forms.ModelChoiceField(label=_("보관 시설"), queryset=Facility.objects.none(),
                                      required=False)
    model_name = forms.CharField(label=_("모델"), max_length=40, required=False)

    def __init__(self, *args, user=None, facilities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = _districts_for(user)
        self.fields["facility"].queryset = facilities if facilities is not None else Facility.objects.none()

    def clean(self):
        data = super().clean()
        facility, district = data.get("facility"), data.get("district")
        if facility and district and facility.district_id != district.pk:
            self.add_error("facility", _("보관 시설이 로봇의 자치구에 있지 않습니다."))
        return data


class CheckoutForm(forms.Form):
    facility = forms.ModelChoiceField(label=_("가져갈 시설"), queryset=Facility.objects.none())
    due_back = forms.DateField(label=_("반납 예정일"), widget=DateInput())
    note = forms.CharField(label=_("메모"), required=False, max_length=200)

    def __init__(self, *args, robot=None, **kwargs):
        super().__init__(*args, **kwargs)
        if robot is not None:
            self.fields["facility"].queryset = Facility.objects.filter(district=robot.district_id)


class ReturnForm(forms.Form):
    status = forms.ChoiceField(label=_("반납 뒤 상태"), choices=[
        (Robot.Status.CHARGING, Robot.Status.CHARGING.label),
        (Robot.Status.DEPLOYED, Robot.Status.DEPLOYED.label)])


class RobotStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("상태"), choices=Robot.Status.choices)
    note = forms.CharField(label=_("메모"), required=False, max_length=200)


class MaintenanceForm(forms.Form):
    problem = forms.CharField(label=_("고장 내용"), max_length=300)


class MaintenanceCloseForm(forms.Form):
    resolution = forms.CharField(label=_("처리 결과"), max_length=300)


class RobotClassForm(forms.Form):
    facility = forms.ModelChoiceField(label=_("시설"), queryset=Facility.objects.none())
    date = forms.DateField(label=_("날짜"), widget=DateInput())
    programme = forms.ChoiceField(label=_("교육 내용"), choices=RobotClass.Programme.choices)
    content = forms.ModelChoiceField(label=_("복습 콘텐츠(복습 수업만)"), required=False,
                                     queryset=Content.objects.filter(robot=True))
    learner_type = forms.ChoiceField(label=_("대상"), choices=RobotClass.LearnerType.choices,
                                     widget=forms.RadioSelect)
    robots = forms.ModelMultipleChoiceField(label=_("사용한 로봇"), queryset=Robot.objects.none(),
                                            widget=forms.SelectMultiple(attrs={"size": 8}),
                                            help_text=_("Ctrl 키를 누른 채 여러 대를 고르세요."))
    attendance = forms.IntegerField(label=_("참석 인원"), min_value=1, max_value=500)
    supporter_linked = forms.BooleanField(label=_("어디나지원단 연계 수업"), required=False)
    note = forms.CharField(label=_("메모"), required=False, max_length=200)

    def __init__(self, *args, facilities=None, robots=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = facilities if facilities is not None else Facility.objects.none()
        self.fields["robots"].queryset = robots if robots is not None else Robot.objects.none()
