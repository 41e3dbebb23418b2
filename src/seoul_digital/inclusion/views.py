"""Pages of the digital inclusion programme. Thin: parse, call a selector or service, render."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from seoul_digital.core import audit
from seoul_digital.core.jobs import start_job
from seoul_digital.core.models import District
from seoul_digital.core.services import AccessDenied
from seoul_digital.inclusion import access, forms, reports, selectors, services
from seoul_digital.inclusion.access import require
from seoul_digital.inclusion.engine.diagnosis import LEVEL_ORDER
from seoul_digital.inclusion.explain import reason_text, windows_text
from seoul_digital.inclusion.models import (
    Content,
    Diagnosis,
    HelpdeskTicket,
    Learner,
    Lesson,
    Match,
    Repetition,
    Robot,
    Supporter,
)

PERSONAL_FIELDS = ["name", "phone", "birth_date", "address_area"]


# --- helpers ---------------------------------------------------------------------------

FIELD_ALIASES = {"windows": "slots", "availability": "slots", "reason": "reason", "__all__": None}


def apply_errors(form, err: ValidationError) -> None:
    """Put a service's ValidationError on the form (field errors where the field exists)."""
    if hasattr(err, "error_dict"):
        for field, messages_ in err.message_dict.items():
            target = FIELD_ALIASES.get(field, field)
            if target not in form.fields:
                target = None
            for message in messages_:
                form.add_error(target, message)
    else:
        for message in err.messages:
            form.add_error(None, message)


def form_page(request, form, *, title, submit, intro="", back=None, extra=None,
              template="inclusion/form_page.html", senior=False):
    """One form, one task. A refused POST answers 400 with the messages on the form."""
    context = {"form": form, "title": title, "submit": submit, "intro": intro, "back": back,
               "senior": senior}
    context.update(extra or {})
    status = 400 if request.method == "POST" and form.errors else 200
    return render(request, template, context, status=status)


def _page(request, queryset, per_page=25):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def _int(value, default=None):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _refused(request, err: ValidationError, fallback):
    for message in err.messages:
        messages.error(request, message)
    return redirect(fallback)


def _invalid(request, form, fallback):
    """A small inline form (no page of its own) that did not validate: its errors as messages."""
    for errors in form.errors.values():
        for e in errors:
            messages.error(request, e)
    return redirect(fallback)


# --- home and dashboard -----------------------------------------------------------------

@require("office", "foundation", "supporter")
def index(request):
    if access.in_group(request.user, "supporter") and not access.in_group(request.user, "office"):
        return redirect("inclusion:my_home")
    user = request.user
    context = {
        "programme": access.is_programme_staff(user),
        "office": access.in_group(user, "office"),
        "waiting": selectors.learners_for(user).filter(status=Learner.Status.WAITING).count(),
        "proposed": selectors.matches_for(user).filter(status=Match.Status.PROPOSED).count(),
        "confirmed": selectors.matches_for(user).filter(status=Match.Status.CONFIRMED).count(),
        "open_tickets": selectors.tickets_for(user).filter(status=HelpdeskTicket.Status.OPEN).count(),
    }
    return render(request, "inclusion/index.html", context)


@require("officials")
def dashboard(request):
    data = selectors.dashboard(request.user)
    english = forms._english()
    skill_names = {s.code: (s.name_en if english else s.name_ko)
                   for s in services.active_questionnaire().form.skills}
    level_names = dict(Learner._meta.get_field("level").choices)
    charts = {
        "reach": {"labels": [r["district"] for r in data["rollup"]["rows"]],
                  "reached": [r["total"] for r in data["rollup"]["rows"]],
                  "target": [r["target"] for r in data["rollup"]["rows"]],
                  "label_reached": _("참석 인원"), "label_target": _("목표")},
        "status": {"labels": [str(Learner.Status(s).label) for s in data["status_counts"]],
                   "values": list(data["status_counts"].values()), "label": _("교육생 수")},
        "lessons": {"labels": [m for m, _n in data["lessons_by_month"]],
                    "values": [n for _m, n in data["lessons_by_month"]], "label": _("진행한 수업")},
        "gain": {"labels": [skill_names.get(code, code) for code in data["gain"].per_skill],
                 "values": list(data["gain"].per_skill.values()), "label": _("평균 향상(점)")},
    }
    return render(request, "inclusion/dashboard.html", {
        "d": data, "charts": charts,
        "level_names": level_names,
    })


# --- learners ---------------------------------------------------------------------------

@require("office", "supporter")
def learner_list(request):
    queryset = selectors.learners_for(request.user).order_by("-registered_at")
    status = request.GET.get("status", "")
    if status in Learner.Status.values:
        queryset = queryset.filter(status=status)
    district = _int(request.GET.get("district"))
    if district:
        queryset = queryset.filter(district_id=district)
    last4 = "".join(ch for ch in request.GET.get("phone", "") if ch.isdigit())[-4:]
    if last4:
        queryset = queryset.filter(phone__endswith=last4)
    return render(request, "inclusion/learner_list.html", {
        "page": _page(request, queryset), "status": status, "statuses": Learner.Status.choices,
        "districts": District.objects.order_by("name_ko"), "district": district,
        "phone": request.GET.get("phone", ""),
        "can_register": access.in_group(request.user, "office"),
    })


@require("office")
def learner_register(request):
    form = forms.LearnerForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            learner = services.do_register_learner(
                request.user, name=data["name"], phone=data["phone"], birth_date=data["birth_date"],
                district=data["district"], address_area=data["address_area"],
                windows=form.windows(), device=data["device"], language=data["language"],
                gender=data["gender"], gender_preference=data["gender_preference"],
                channel=data["channel"], consent=data["consent"], notes=data["notes"],
                request=request)
        except ValidationError as err:
            apply_errors(form, err)
        else:
            messages.success(request, _("등록했습니다. 이어서 역량 진단을 하세요."))
            return redirect("inclusion:diagnosis_new", learner_pk=learner.pk)
    return form_page(request, form, title=_("어르신 등록"), submit=_("등록하기"),
                     intro=_("전화로 한 가지씩 여쭈어 적습니다. 다 적은 뒤 '등록하기'를 누르세요."),
                     back=reverse("inclusion:learner_list"), template="inclusion/learner_form.html",
                     senior=True)


@require("office", "supporter")
def learner_detail(request, pk):
    learner = selectors.learner_for(request.user, pk)
    audit.record_personal_view(request, learner, PERSONAL_FIELDS)
    user = request.user
    return render(request, "inclusion/learner_detail.html", {
        "learner": learner,
        "age": learner.age_on(timezone.localdate()),
        "waiting_text": reason_text(learner.waiting_reason) if learner.status == Learner.Status.WAITING else "",
        "diagnoses": selectors.diagnoses_for(user).filter(learner=learner).order_by("taken_at"),
        "gain": selectors.learner_gain(learner, user),
        "matches": selectors.matches_for(user).filter(learner=learner),
        "lessons": selectors.lessons_for(user).filter(match__learner=learner).order_by("-date"),
        "repetitions": selectors.repetitions_for(user).filter(learner=learner),
        "tickets": selectors.tickets_for(user).filter(learner=learner),
        "can_edit": access.in_group(user, "office"),
        "can_diagnose": True,
        "can_assign": access.in_group(user, "programme", "supporter"),
    })


@require("office")
def learner_edit(request, pk):
    learner = selectors.learner_for(request.user, pk, "change")
    initial = {f: getattr(learner, f) for f in ("name", "phone", "birth_date", "gender", "address_area",
                                                 "device", "language", "gender_preference", "notes")}
    initial["district"] = learner.district
    initial.update(forms.LearnerForm.initial_for(learner.windows))
    form = forms.LearnerForm(request.POST or None, initial=initial, user=request.user, edit=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.do_update_learner(
                request.user, learner, request=request, windows=form.windows(),
                **{f: data[f] for f in ("name", "phone", "birth_date", "gender", "district",
                                        "address_area", "device", "language",
                                        "gender_preference", "notes")})
        except ValidationError as err:
            apply_errors(form, err)
        else:
            messages.success(request, _("고쳤습니다."))
            return redirect("inclusion:learner_detail", pk=learner.pk)
    else:
        audit.record_personal_view(request, learner, PERSONAL_FIELDS)
    return form_page(request, form, title=_("교육생 정보 고치기"), submit=_("저장하기"),
                     back=reverse("inclusion:learner_detail", args=[learner.pk]),
                     template="inclusion/learner_form.html", senior=True)


@require("office", "supporter")
def learner_card(request, pk):
    """A large-print card for the senior: who their supporter is and when lessons are."""
    learner = selectors.learner_for(request.user, pk)
    audit.record_personal_view(request, learner, ["name"])
    match = selectors.matches_for(request.user).filter(
        learner=learner, status__in=(Match.Status.ACCEPTED, Match.Status.CONFIRMED)).first()
    upcoming = selectors.lessons_for(request.user).filter(
        match__learner=learner, status=Lesson.Status.PLANNED,
        date__gte=timezone.localdate()).order_by("date", "start_time")[:6]
    return render(request, "inclusion/learner_card.html", {
        "learner": learner, "match": match, "upcoming": upcoming,
        "repetitions": selectors.repetitions_for(request.user).filter(
            learner=learner, status=Repetition.Status.ASSIGNED),
    })


# --- diagnosis ----------------------------------------------------------------------------

@require("office", "supporter")
def diagnosis_new(request, learner_pk):
    learner = selectors.learner_for(request.user, learner_pk)
    kind = request.GET.get("kind") or request.POST.get("kind") or (
        Diagnosis.Kind.POST if learner.diagnoses.filter(kind=Diagnosis.Kind.PRE).exists()
        else Diagnosis.Kind.PRE)
    if kind not in Diagnosis.Kind.values:
        raise Http404
    questionnaire = services.active_questionnaire()
    form = forms.DiagnosisForm(request.POST or None, questionnaire=questionnaire)
    if request.method == "POST" and form.is_valid():
        try:
            diagnosis = services.do_record_diagnosis(request.user, learner, kind=kind,
                                                     answers=form.answers(),
                                                     questionnaire=questionnaire, request=request)
        except (ValidationError, AccessDenied) as err:
            if isinstance(err, AccessDenied):
                raise Http404 from None
            apply_errors(form, err)
        else:
            messages.success(request, _("진단 결과를 저장했습니다."))
            return redirect("inclusion:diagnosis_detail", pk=diagnosis.pk)
    return render(request, "inclusion/diagnosis_form.html", {
        "learner": learner, "form": form, "kind": kind,
        "kind_label": Diagnosis.Kind(kind).label, "questionnaire": questionnaire,
    }, status=400 if form.errors else 200)


@require("office", "supporter")
def diagnosis_detail(request, pk):
    diagnosis = selectors.diagnosis_for(request.user, pk)
    form = diagnosis.questionnaire.form
    english = forms._english()
    skills = [{"code": s.code, "name": s.name_en if english else s.name_ko, "band": s.band,
               "score": diagnosis.skill_scores.get(s.code),
               "level": diagnosis.skill_levels.get(s.code)} for s in form.skills]
    gain = selectors.learner_gain(diagnosis.learner, request.user)
    return render(request, "inclusion/diagnosis_detail.html", {
        "diagnosis": diagnosis, "skills": skills, "gain": gain,
        "bands": [(b, diagnosis.band_scores.get(b)) for b in LEVEL_ORDER],
        "level_labels": dict(Learner._meta.get_field("level").choices),
        "can_match": access.is_programme_staff(request.user),
    })


# --- supporters ----------------------------------------------------------------------------

@require("office")
def supporter_list(request):
    queryset = selectors.supporters_for(request.user)
    stage = request.GET.get("stage", "")
    if stage in Supporter.Stage.values:
        queryset = queryset.filter(stage=stage)
    counts = dict(selectors.supporters_for(request.user).values_list("stage").annotate(n=Count("id")))
    return render(request, "inclusion/supporter_list.html", {
        "page": _page(request, queryset), "stage": stage,
        "stages": [(s, label, counts.get(s, 0)) for s, label in Supporter.Stage.choices],
    })


@require("office")
def supporter_apply(request):
    form = forms.SupporterForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            supporter = services.do_apply_supporter(
                request.user, name=d["name"], phone=d["phone"], birth_date=d["birth_date"],
                gender=d["gender"], home_district=d["home_district"], districts=d["districts"],
                languages=d["languages"], devices=d["devices"], levels=d["levels"],
                windows=form.windows(), max_learners=d["max_learners"],
                experience=d["experience"], motivation=d["motivation"], request=request)
        except ValidationError as err:
            apply_errors(form, err)
        else:
            messages.success(request, _("지원서를 접수했습니다."))
            return redirect("inclusion:supporter_detail", pk=supporter.pk)
    return form_page(request, form, title=_("어디나지원단 지원서 접수"), submit=_("접수하기"),
                     back=reverse("inclusion:supporter_list"),
                     template="inclusion/supporter_form.html")


@require("office", "supporter")
def supporter_detail(request, pk):
    supporter = selectors.supporter_for(request.user, pk)
    audit.record_personal_view(request, supporter, ["name", "phone", "birth_date"])
    today = timezone.localdate()
    statement = selectors.statement_for(request.user, supporter, today.year, today.month)
    return render(request, "inclusion/supporter_detail.html", {
        "supporter": supporter, "age": supporter.age_on(today),
        "districts": supporter.districts.all(),
        "matches": selectors.matches_for(request.user).filter(supporter=supporter),
        "statement": statement, "today": today,
        "stage_form": forms.StageForm(supporter=supporter)
        if access.is_programme_staff(request.user) else None,
        "link_form": forms.LinkAccountForm()
        if access.is_programme_staff(request.user) and supporter.user_id is None else None,
        "can_edit": access.in_group(request.user, "office"),
    })


@require("office")
def supporter_edit(request, pk):
    supporter = selectors.supporter_for(request.user, pk, "change")
    initial = {f: getattr(supporter, f) for f in ("name", "phone", "birth_date", "gender",
                                                  "max_learners", "experience", "motivation")}
    initial.update(home_district=supporter.home_district, districts=list(supporter.districts.all()),
                   devices=supporter.devices, levels=supporter.levels, languages=supporter.languages)
    initial.update(forms.SupporterForm.initial_for(supporter.windows))
    form = forms.SupporterForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.do_update_supporter(
                request.user, supporter, districts=d["districts"], windows=form.windows(),
                request=request, name=d["name"], phone=d["phone"], birth_date=d["birth_date"],
                gender=d["gender"], home_district=d["home_district"],
                languages=sorted(set(d["languages"]) | {"ko"}), devices=sorted(d["devices"]),
                levels=sorted(d["levels"]), max_learners=d["max_learners"],
                experience=d["experience"], motivation=d["motivation"])
        except ValidationError as err:
            apply_errors(form, err)
        else:
            messages.success(request, _("고쳤습니다."))
            return redirect("inclusion:supporter_detail", pk=supporter.pk)
    return form_page(request, form, title=_("지원단 정보 고치기"), submit=_("저장하기"),
                     back=reverse("inclusion:supporter_detail", args=[supporter.pk]),
                     template="inclusion/supporter_form.html")


@require("programme")
@require_POST
def supporter_stage(request, pk):
    supporter = selectors.supporter_for(request.user, pk, "change")
    form = forms.StageForm(request.POST, supporter=supporter)
    back = reverse("inclusion:supporter_detail", args=[supporter.pk])
    if not form.is_valid():
        return _invalid(request, form, back)
    try:
        services.do_move_supporter(request.user, supporter, form.cleaned_data["stage"],
                                   note=form.cleaned_data["note"],
                                   training_completed_on=form.cleaned_data["training_completed_on"],
                                   request=request)
    except ValidationError as err:
        return _refused(request, err, back)
    messages.success(request, _("단계를 '%(stage)s'(으)로 옮겼습니다.") % {
        "stage": Supporter.Stage(form.cleaned_data["stage"]).label})
    return redirect(back)


@require("programme")
@require_POST
def supporter_link(request, pk):
    supporter = selectors.supporter_for(request.user, pk, "change")
    form = forms.LinkAccountForm(request.POST)
    back = reverse("inclusion:supporter_detail", args=[supporter.pk])
    if not form.is_valid():
        return _invalid(request, form, back)
    try:
        services.do_link_supporter_account(request.user, supporter, form.cleaned_data["account"],
                                           request=request)
    except ValidationError as err:
        return _refused(request, err, back)
    messages.success(request, _("로그인 계정 '%(username)s'을(를) 연결했습니다.") % {
        "username": form.cleaned_data["account"].username})
    return redirect(back)


# --- matching --------------------------------------------------------------------------------

@require("programme")
def run_list(request):
    return render(request, "inclusion/run_list.html", {
        "page": _page(request, selectors.runs_for(request.user)),
        "waiting": selectors.learners_for(request.user).filter(status=Learner.Status.WAITING).count(),
    })


@require("programme")
def run_new(request):
    form = forms.MatchRunForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            run = services.do_create_match_run(
                request.user, district=d["district"], allow_adjacent=d["allow_adjacent"],
                max_travel_minutes=d["max_travel_minutes"], request=request)
        except ValidationError as err:
            apply_errors(form, err)
        else:
            job = start_job(request.user, "seoul_digital.inclusion.jobs.run_matching",
                            title=_("매칭 실행 %(n)s") % {"n": run.pk}, district=d["district"],
                            request=request, run_id=run.pk)
            job.refresh_from_db()
            if job.is_finished and job.state == job.State.SUCCEEDED:
                return redirect("inclusion:run_detail", pk=run.pk)
            return redirect("core:job_detail", pk=job.pk)
    waiting = selectors.learners_for(request.user).filter(status=Learner.Status.WAITING).count()
    return form_page(request, form, title=_("매칭 돌리기"), submit=_("매칭 시작"),
                     intro=_("기다리는 교육생 %(n)s명을 활동 중인 지원단과 연결합니다. 결과는 제안으로 나오며, "
                             "담당자가 확인해야 지원단에게 전달됩니다.") % {"n": waiting},
                     back=reverse("inclusion:run_list"))


@require("programme")
def run_detail(request, pk):
    run = selectors.run_for(request.user, pk)
    matches = selectors.matches_for(request.user).filter(run=run)
    unmatched = (selectors.learners_for(request.user)
                 .filter(status=Learner.Status.WAITING, waiting_reason__run=run.pk))
    return render(request, "inclusion/run_detail.html", {
        "run": run, "matches": matches,
        "unmatched": [(l, reason_text(l.waiting_reason)) for l in unmatched],
        "reject_form": forms.RejectForm(),
    })


@require("office", "supporter")
def match_list(request):
    queryset = selectors.matches_for(request.user)
    status = request.GET.get("status", "")
    if status in Match.Status.values:
        queryset = queryset.filter(status=status)
    return render(request, "inclusion/match_list.html", {
        "page": _page(request, queryset), "status": status, "statuses": Match.Status.choices,
    })


def _reasons(match: Match) -> list[str]:
    return [reason_text(r) for r in match.reasons]


@require("office", "supporter")
def match_detail(request, pk):
    match = selectors.match_for(request.user, pk)
    user = request.user
    own = access.supporter_record(user)
    is_own = own is not None and own.pk == match.supporter_id
    return render(request, "inclusion/match_detail.html", {
        "match": match, "reasons": _reasons(match),
        "lessons": selectors.lessons_for(user).filter(match=match).order_by("date", "start_time"),
        "can_confirm": access.is_programme_staff(user) and match.status == Match.Status.PROPOSED,
        "can_respond": (is_own or access.is_programme_staff(user)) and match.status == Match.Status.CONFIRMED,
        "can_close": (is_own or access.is_programme_staff(user)) and match.status == Match.Status.ACCEPTED,
        "can_book": (is_own or access.is_programme_staff(user)) and match.status == Match.Status.ACCEPTED,
        "reject_form": forms.RejectForm(), "respond_form": forms.RespondForm(),
        "close_form": forms.CloseForm(),
    })


@require("programme")
@require_POST
def match_confirm(request, pk):
    match = selectors.match_for(request.user, pk, "change")
    try:
        services.do_confirm_match(request.user, match, request=request)
    except ValidationError as err:
        return _refused(request, err, reverse("inclusion:match_detail", args=[pk]))
    messages.success(request, _("확정했습니다. 지원단이 수락하면 수업을 잡을 수 있습니다."))
    return redirect(request.POST.get("next") or reverse("inclusion:match_detail", args=[pk]))


@require("programme")
@require_POST
def match_reject(request, pk):
    match = selectors.match_for(request.user, pk, "change")
    form = forms.RejectForm(request.POST)
    back = reverse("inclusion:match_detail", args=[pk])
    if not form.is_valid():
        messages.error(request, _("반려하는 까닭을 적어 주세요."))
        return redirect(back)
    try:
        services.do_reject_proposal(request.user, match, form.cleaned_data["note"], request=request)
    except ValidationError as err:
        return _refused(request, err, back)
    messages.success(request, _("반려했습니다. 교육생은 다시 대기 명단에 있습니다."))
    return redirect(request.POST.get("next") or back)


@require("supporter", "programme")
def match_respond(request, pk):
    match = selectors.match_for(request.user, pk, "change")
    form = forms.RespondForm(request.POST or None)
    back = reverse("inclusion:match_detail", args=[pk])
    if request.method == "POST" and form.is_valid():
        accept = form.cleaned_data["answer"] == "accept"
        try:
            _m, new = services.do_respond_to_match(request.user, match, accept=accept,
                                                   note=form.cleaned_data["note"], request=request)
        except AccessDenied:
            raise Http404 from None
        except ValidationError as err:
            apply_errors(form, err)
        else:
            if accept:
                messages.success(request, _("수락했습니다. 이제 첫 수업을 잡으세요."))
                return redirect(back)
            if new is not None:
                messages.info(request, _("거절을 받았습니다. 교육생에게 다른 지원단을 새로 제안했습니다(담당자 확인 대기)."))
            else:
                learner = Learner.objects.get(pk=match.learner_id)
                messages.info(request, _("거절을 받았습니다. 지금은 맞는 지원단이 없어 교육생이 대기 명단에 있습니다: %(why)s")
                              % {"why": reason_text(learner.waiting_reason)})
            return redirect("inclusion:my_home" if access.in_group(request.user, "supporter") else back)
    return form_page(request, form, title=_("매칭 응답"), submit=_("응답 보내기"), back=back,
                     extra={"match": match, "reasons": _reasons(match)},
                     template="inclusion/match_respond.html", senior=True)


@require("supporter", "programme")
def match_close(request, pk):
    match = selectors.match_for(request.user, pk, "change")
    own = access.supporter_record(request.user)
    if not access.is_programme_staff(request.user) and (own is None or own.pk != match.supporter_id):
        raise Http404
    form = forms.CloseForm(request.POST or None)
    back = reverse("inclusion:match_detail", args=[pk])
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            _m, new = services.do_close_match(request.user, match, reason=d["reason"], note=d["note"],
                                              rematch=d["rematch"], request=request)
        except ValidationError as err:
            apply_errors(form, err)
        else:
            messages.success(request, _("매칭을 끝냈습니다."))
            if new is not None:
                messages.info(request, _("교육생에게 새 지원단을 제안했습니다(담당자 확인 대기)."))
            return redirect(back)
    return form_page(request, form, title=_("매칭 끝내기"), submit=_("끝내기"), back=back,
                     extra={"match": match})


# --- the supporter's own page ----------------------------------------------------------------

@require("supporter")
def my_home(request):
    supporter = access.supporter_record(request.user)
    if supporter is None:
        return render(request, "inclusion/my_home.html", {"supporter": None})
    today = timezone.localdate()
    matches = selectors.matches_for(request.user)
    return render(request, "inclusion/my_home.html", {
        "supporter": supporter,
        "waiting_answer": matches.filter(status=Match.Status.CONFIRMED),
        "active": matches.filter(status=Match.Status.ACCEPTED),
        "upcoming": selectors.lessons_for(request.user).filter(
            status=Lesson.Status.PLANNED, date__gte=today).order_by("date", "start_time")[:10],
        "to_log": selectors.lessons_for(request.user).filter(
            status=Lesson.Status.PLANNED, date__lt=today).order_by("date"),
        "statement": selectors.statement_for(request.user, supporter, today.year, today.month),
        "today": today,
    })


# --- lessons ---------------------------------------------------------------------------------

@require("office", "supporter")
def lesson_list(request):
    queryset = selectors.lessons_for(request.user).order_by("-date", "-start_time")
    status = request.GET.get("status", "")
    if status in Lesson.Status.values:
        queryset = queryset.filter(status=status)
    return render(request, "inclusion/lesson_list.html", {
        "page": _page(request, queryset), "status": status, "statuses": Lesson.Status.choices,
    })


def _own_or_programme(request, match: Match) -> None:
    own = access.supporter_record(request.user)
    if not access.is_programme_staff(request.user) and (own is None or own.pk != match.supporter_id):
        raise Http404


@require("supporter", "programme")
def lesson_book(request, match_pk):
    match = selectors.match_for(request.user, match_pk, "change")
    _own_or_programme(request, match)
    form = forms.LessonBookForm(request.POST or None)
    back = reverse("inclusion:match_detail", args=[match.pk])
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.do_book_lesson(request.user, match, date=d["date"], start_time=d["start_time"],
                                    minutes=d["minutes"], place_type=d["place_type"],
                                    place_note=d["place_note"], request=request)
        except ValidationError as err:
            apply_errors(form, err)
        else:
            messages.success(request, _("수업을 예약했습니다."))
            return redirect(back)
    return form_page(request, form, title=_("수업 예약"), submit=_("예약하기"), back=back,
                     extra={"match": match}, senior=True,
                     intro=_("함께 가능한 시간: %(w)s") % {"w": windows_text(match.common_windows)})


@require("supporter", "programme")
def lesson_log(request, pk):
    lesson = selectors.lesson_for(request.user, pk, "change")
    _own_or_programme(request, lesson.match)
    initial = {"status": lesson.status if lesson.status != Lesson.Status.PLANNED else Lesson.Status.HELD,
               "attendance": lesson.attendance or Lesson.Attendance.ATTENDED,
               "minutes": lesson.minutes, "contents": list(lesson.contents.all()),
               "notes": lesson.notes, "satisfaction": lesson.satisfaction}
    form = forms.LessonLogForm(request.POST or None, initial=initial)
    back = reverse("inclusion:match_detail", args=[lesson.match_id])
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.do_log_lesson(request.user, lesson, status=d["status"],
                                   attendance=d["attendance"], minutes=d["minutes"],
                                   contents=d["contents"], notes=d["notes"],
                                   satisfaction=d["satisfaction"], request=request)
        except ValidationError as err:
            apply_errors(form, err)
        else:
            messages.success(request, _("수업을 기록했습니다."))
            if d["status"] == Lesson.Status.HELD:
                return redirect(reverse("inclusion:repetition_assign",
                                        args=[lesson.match.learner_id]) + f"?lesson={lesson.pk}")
            return redirect(back)
    return form_page(request, form, title=_("수업 기록"), submit=_("기록하기"), back=back,
                     extra={"lesson": lesson}, template="inclusion/lesson_log.html", senior=True)


@require("supporter", "programme")
@require_POST
def lesson_cancel(request, pk):
    lesson = selectors.lesson_for(request.user, pk, "change")
    _own_or_programme(request, lesson.match)
    back = reverse("inclusion:match_detail", args=[lesson.match_id])
    try:
        services.do_cancel_lesson(request.user, lesson, note=request.POST.get("note", ""),
                                  request=request)
    except ValidationError as err:
        return _refused(request, err, back)
    messages.success(request, _("수업을 취소했습니다."))
    return redirect(back)


# --- repetition ---------------------------------------------------------------------------------

@require("supporter", "programme")
def repetition_assign(request, learner_pk):
    learner = selectors.learner_for(request.user, learner_pk)
    lesson = None
    lesson_pk = _int(request.GET.get("lesson") or request.POST.get("lesson"))
    if lesson_pk:
        lesson = selectors.lesson_for(request.user, lesson_pk)
    initial = {"mode": Repetition.Mode.ROBOT}
    if lesson is not None and lesson.contents.exists():
        content = lesson.contents.filter(robot=True).first() or lesson.contents.first()
        initial["content"] = content
        if not content.robot:
            initial["mode"] = Repetition.Mode.ONLINE  # only basic and daily contents run on robots
    form = forms.RepetitionForm(request.POST or None, learner=learner, initial=initial)
    back = reverse("inclusion:learner_detail", args=[learner.pk])
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.do_assign_repetition(request.user, learner, content=d["content"], mode=d["mode"],
                                          lesson=lesson, due_on=d["due_on"],
                                          robot_class=d["robot_class"], note=d["note"],
                                          request=request)
        except AccessDenied:
            raise Http404 from None
        except ValidationError as err:
            apply_errors(form, err)
        else:
            messages.success(request, _("반복 교육을 배정했습니다."))
            return redirect(back)
    return form_page(request, form, title=_("반복 교육 배정"), submit=_("배정하기"), back=back,
                     intro=_("수업에서 배운 것을 로봇 수업이나 휴대전화(온라인)로 다시 익히게 합니다."),
                     extra={"lesson": lesson, "hidden": {"lesson": lesson.pk if lesson else ""}},
                     senior=True)


@require("supporter", "programme")
@require_POST
def repetition_finish(request, pk):
    repetition = selectors.repetition_for(request.user, pk, "change")
    back = reverse("inclusion:learner_detail", args=[repetition.learner_id])
    try:
        services.do_finish_repetition(request.user, repetition,
                                      done=request.POST.get("done") == "1", request=request)
    except ValidationError as err:
        return _refused(request, err, back)
    messages.success(request, _("반복 교육 결과를 적었습니다."))
    return redirect(back)


# --- helpdesk -------------------------------------------------------------------------------------

@require("office")
def ticket_list(request):
    queryset = selectors.tickets_for(request.user)
    status = request.GET.get("status", "")
    if status in HelpdeskTicket.Status.values:
        queryset = queryset.filter(status=status)
    return render(request, "inclusion/ticket_list.html", {
        "page": _page(request, queryset), "status": status, "statuses": HelpdeskTicket.Status.choices,
    })


@require("office")
def ticket_new(request):
    learner = None
    learner_pk = _int(request.GET.get("learner") or request.POST.get("learner_id"))
    if learner_pk:
        learner = selectors.learner_for(request.user, learner_pk)
    form = forms.TicketForm(request.POST or None, user=request.user,
                            initial={"learner_id": learner.pk if learner else None,
                                     "district": learner.district if learner else None})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            ticket = services.do_open_ticket(request.user, category=d["category"],
                                             question=d["question"], district=d["district"],
                                             learner=learner, channel=d["channel"], request=request)
        except ValidationError as err:
            apply_errors(form, err)
        else:
            messages.success(request, _("상담을 접수했습니다."))
            return redirect("inclusion:ticket_detail", pk=ticket.pk)
    return form_page(request, form, title=_("헬프데스크 상담 접수"), submit=_("접수하기"),
                     back=reverse("inclusion:ticket_list"), extra={"learner": learner}, senior=True)


@require("office")
def ticket_detail(request, pk):
    ticket = selectors.ticket_for(request.user, pk)
    form = forms.AnswerForm(request.POST or None, initial={"answer": ticket.answer})
    if request.method == "POST":
        ticket = selectors.ticket_for(request.user, pk, "change")
        if form.is_valid():
            try:
                services.do_answer_ticket(request.user, ticket, answer=form.cleaned_data["answer"],
                                          resolve=form.cleaned_data["resolve"], request=request)
            except ValidationError as err:
                apply_errors(form, err)
            else:
                messages.success(request, _("답변을 저장했습니다."))
                return redirect("inclusion:ticket_detail", pk=ticket.pk)
    return render(request, "inclusion/ticket_detail.html", {"ticket": ticket, "form": form},
                  status=400 if form.errors else 200)


# --- money ------------------------------------------------------------------------------------------

def _month(year, month):
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise Http404
    return year, month


@require("programme", "supporter")
def statement(request, supporter_pk, year, month):
    year, month = _month(year, month)
    supporter = selectors.supporter_for(request.user, supporter_pk)
    data = selectors.statement_for(request.user, supporter, year, month)
    first = dt.date(year, month, 1)
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return render(request, "inclusion/statement.html", {
        "supporter": supporter, "s": data, "year": year, "month": month,
        "previous": previous, "following": following,
        "used_hours": data.used_minutes / 60, "cap_hours": data.cap_minutes / 60,
        "held_hours": data.held_minutes / 60,
        "status_labels": dict(Lesson.Status.choices),
    })


@require("programme", "supporter")
def statement_xlsx(request, supporter_pk, year, month):
    year, month = _month(year, month)
    supporter = selectors.supporter_for(request.user, supporter_pk)
    content = reports.statement_xlsx(supporter, year, month, user=request.user)
    audit.record(request.user, "export", supporter, request=request,
                 note=f"statement {year}-{month:02d}")
    response = HttpResponse(content, content_type=reports.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="statement-{supporter.pk}-{year}-{month:02d}.xlsx"'
    return response


@require("programme")
def fee_list(request):
    form = forms.FeeScheduleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.do_set_fee_schedule(request.user, request=request, **form.cleaned_data)
        except ValidationError as err:
            apply_errors(form, err)
        else:
            messages.success(request, _("새 활동비 기준을 저장했습니다."))
            return redirect("inclusion:fee_list")
    return render(request, "inclusion/fee_list.html", {
        "schedules": selectors.fee_schedules_for(request.user), "form": form,
        "current": services.FeeSchedule.for_day(timezone.localdate()),
    }, status=400 if form.errors else 200)


# --- contents -----------------------------------------------------------------------------------------

@require("officials", "supporter")
def content_list(request):
    contents = selectors.contents_for(request.user)
    level = request.GET.get("level", "")
    if level in LEVEL_ORDER:
        contents = contents.filter(level=level)
    return render(request, "inclusion/content_list.html", {
        "core": contents.filter(kind=Content.Kind.CORE),
        "partner": contents.filter(kind=Content.Kind.PARTNER), "level": level,
        "levels": Learner._meta.get_field("level").choices,
    })


@require("officials", "supporter")
def content_detail(request, pk):
    content = selectors.content_for(request.user, pk)
    return render(request, "inclusion/content_detail.html", {"content": content})


# --- robots ---------------------------------------------------------------------------------------------

@require("office", "foundation")
def robot_list(request):
    queryset = selectors.robots_for(request.user)
    status = request.GET.get("status", "")
    if status in Robot.Status.values:
        queryset = queryset.filter(status=status)
    district = _int(request.GET.get("district"))
    if district:
        queryset = queryset.filter(district_id=district)
    return render(request, "inclusion/robot_list.html", {
        "can_add": access.in_group(request.user, "office"),
        "page": _page(request, queryset, 50), "status": status, "statuses": Robot.Status.choices,
        "counts": selectors.robot_status_counts(request.user),
        "districts": selectors.robot_districts(request.user), "district": district,
    })


@require("office")
def robot_new(request):
    facilities = selectors.facilities_for(request.user, "change")
    form = forms.RobotForm(request.POST or None, user=request.user, facilities=facilities)
    if request.method == "POST" and form.is_valid():
        try:
            robot = services.do_add_robot(request.user, request=request, **form.cleaned_data)
        except ValidationError as err:
            apply_errors(form, err)
        else:
            messages.success(request, _("로봇을 등록했습니다."))
            return redirect("inclusion:robot_detail", pk=robot.pk)
    return form_page(request, form, title=_("로봇 등록"), submit=_("등록하기"),
                     back=reverse("inclusion:robot_list"))


@require("office")
def facility_new(request):
    form = forms.FacilityForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.do_add_facility(request.user, request=request, **form.cleaned_data)
        except ValidationError as err:
            apply_errors(form, err)
        else:
            messages.success(request, _("시설을 등록했습니다."))
            return redirect("inclusion:robot_list")
    return form_page(request, form, title=_("교육 시설 등록"), submit=_("등록하기"),
                     intro=_("로봇을 보관하거나 로봇 수업을 여는 주민센터·노인복지시설·어린이집입니다."),
                     back=reverse("inclusion:robot_list"))


@require("office", "foundation")
def robot_detail(request, pk):
    robot = selectors.robot_for(request.user, pk)
    can_change = access.in_group(request.user, "office")
    return render(request, "inclusion/robot_detail.html", {
        "robot": robot, "checkouts": robot.checkouts.select_related("facility")[:20],
        "maintenance": robot.maintenance.all()[:20],
        "classes": robot.classes.select_related("facility")[:20],
        "open_checkout": robot.open_checkout,
        "can_change": can_change,
        "checkout_form": forms.CheckoutForm(robot=robot) if can_change else None,
        "return_form": forms.ReturnForm(), "status_form": forms.RobotStatusForm(initial={"status": robot.status}),
        "maintenance_form": forms.MaintenanceForm(),
        "close_form": forms.MaintenanceCloseForm(),
    })


def _robot_post(request, pk):
    robot = selectors.robot_for(request.user, pk, "change")
    return robot, reverse("inclusion:robot_detail", args=[robot.pk])


@require("office")
@require_POST
def robot_checkout(request, pk):
    robot, back = _robot_post(request, pk)
    form = forms.CheckoutForm(request.POST, robot=robot)
    if not form.is_valid():
        return _invalid(request, form, back)
    try:
        services.do_checkout_robot(request.user, robot, request=request, **form.cleaned_data)
    except ValidationError as err:
        return _refused(request, err, back)
    messages.success(request, _("대여를 기록했습니다."))
    return redirect(back)


@require("office")
@require_POST
def robot_return(request, pk):
    robot, back = _robot_post(request, pk)
    form = forms.ReturnForm(request.POST)
    status = form.cleaned_data["status"] if form.is_valid() else Robot.Status.CHARGING
    try:
        services.do_return_robot(request.user, robot, status=status, request=request)
    except ValidationError as err:
        return _refused(request, err, back)
    messages.success(request, _("반납을 기록했습니다."))
    return redirect(back)


@require("office")
@require_POST
def robot_status(request, pk):
    robot, back = _robot_post(request, pk)
    form = forms.RobotStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("상태를 고르세요."))
        return redirect(back)
    try:
        services.do_set_robot_status(request.user, robot, request=request, **form.cleaned_data)
    except ValidationError as err:
        return _refused(request, err, back)
    messages.success(request, _("상태를 바꾸었습니다."))
    return redirect(back)


@require("office")
@require_POST
def maintenance_open(request, pk):
    robot, back = _robot_post(request, pk)
    form = forms.MaintenanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("고장 내용을 적어 주세요."))
        return redirect(back)
    try:
        services.do_open_maintenance(request.user, robot, problem=form.cleaned_data["problem"],
                                     request=request)
    except ValidationError as err:
        return _refused(request, err, back)
    messages.success(request, _("수리를 접수했습니다. 로봇은 '수리 중'이 되었습니다."))
    return redirect(back)


@require("office")
@require_POST
def maintenance_close(request, pk):
    from seoul_digital.inclusion.models import RobotMaintenance

    ticket = (RobotMaintenance.objects.restrict(request.user, "change").select_related("robot")
              .filter(pk=pk).first())
    if ticket is None:
        raise Http404
    back = reverse("inclusion:robot_detail", args=[ticket.robot_id])
    form = forms.MaintenanceCloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("처리 결과를 적어 주세요."))
        return redirect(back)
    try:
        services.do_close_maintenance(request.user, ticket, resolution=form.cleaned_data["resolution"],
                                      request=request)
    except ValidationError as err:
        return _refused(request, err, back)
    messages.success(request, _("수리를 마쳤습니다."))
    return redirect(back)


@require("office", "foundation")
def class_list(request):
    queryset = selectors.robot_classes_for(request.user)
    return render(request, "inclusion/class_list.html", {
        "page": _page(request, queryset.prefetch_related("robots")),
        "can_add": access.in_group(request.user, "office"),
    })


@require("office")
def class_new(request):
    facilities = selectors.facilities_for(request.user, "change").filter(
        district__code__in=selectors.ROBOT_DISTRICT_CODES)
    robots = selectors.robots_for(request.user, "change").exclude(
        status__in=(Robot.Status.REPAIR, Robot.Status.LOST))
    district = _int(request.GET.get("district") or request.POST.get("district_filter"))
    if district:
        facilities = facilities.filter(district_id=district)
        robots = robots.filter(district_id=district)
    form = forms.RobotClassForm(request.POST or None, facilities=facilities,
                                robots=selectors.robots_for(request.user, "change").filter(
                                    district_id=district) if district else robots)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.do_record_robot_class(request.user, request=request, **d)
        except ValidationError as err:
            apply_errors(form, err)
        else:
            messages.success(request, _("로봇 수업을 기록했습니다."))
            return redirect("inclusion:class_list")
    return form_page(request, form, title=_("로봇 수업 기록"), submit=_("기록하기"),
                     back=reverse("inclusion:class_list"),
                     extra={"district_choices": selectors.robot_districts(request.user),
                            "district": district},
                     template="inclusion/class_form.html")


@require("office", "foundation")
def rollup(request):
    data = selectors.robot_rollup(request.user)
    chart = {"labels": [r["district"] for r in data["rows"]],
             "reached": [r["total"] for r in data["rows"]],
             "target": [r["target"] for r in data["rows"]],
             "label_reached": _("참석 인원"), "label_target": _("목표")}
    return render(request, "inclusion/rollup.html", {
        "r": data, "chart": chart,
        "status_counts": selectors.robot_status_counts(request.user),
        "status_labels": dict(Robot.Status.choices),
    })
