"""Core pages: dashboard, sign-in, preferences, jobs, audit log, API tokens, health."""

from __future__ import annotations

from itertools import groupby

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_tables2 import RequestConfig

from seoul_digital.core import selectors, services
from seoul_digital.core.filters import AuditLogFilter
from seoul_digital.core.forms import TokenForm
from seoul_digital.core.middleware import LARGE_TEXT_COOKIE
from seoul_digital.core.roles import Role, role_required
from seoul_digital.core.tables import AuditLogTable


@require_GET
def healthz(request):
    """Liveness and database reachability for load balancers; no authentication."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except Exception:  # any driver error means the database is not usable
        database = "unavailable"
    status = 200 if database == "ok" else 503
    return JsonResponse({"status": "ok" if status == 200 else "error", "database": database},
                        status=status)


@login_required
def home(request):
    programmes = selectors.programmes_for_dashboard(request.user)
    strategies = [(strategy, list(items)) for strategy, items in
                  groupby(programmes, key=lambda p: p.strategy)]
    return render(request, "core/home.html", {
        "strategies": strategies,
        "total_budget": sum(p.budget_2021_thousand_krw for p in programmes),
        "recent_jobs": selectors.jobs_for(request.user)[:5],
    })


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "core/password_change.html"
    success_url = reverse_lazy("core:home")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("비밀번호를 바꾸었습니다."))
        return response


def _safe_next(request, fallback: str = "/") -> str:
    target = request.POST.get("next") or request.META.get("HTTP_REFERER") or fallback
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return fallback


@require_POST
def toggle_large_text(request):
    """Large text on/off, kept in a cookie (works signed out) and on the user's profile."""
    enabled = not getattr(request, "large_text", False)
    if request.user.is_authenticated:
        services.do_set_large_text(request.user, enabled, request=request)
    response = redirect(_safe_next(request))
    response.set_cookie(LARGE_TEXT_COOKIE, "1" if enabled else "0", max_age=365 * 24 * 3600,
                        samesite="Lax", secure=request.is_secure())
    return response


@login_required
def job_list(request):
    return render(request, "core/job_list.html", {"jobs": selectors.jobs_for(request.user)[:100]})


@login_required
def job_detail(request, pk: int):
    job = selectors.job_for(request.user, pk)
    return render(request, "core/job_detail.html", {"job": job})


@login_required
def job_progress(request, pk: int):
    """The fragment htmx polls; it stops polling itself once the job has finished."""
    job = selectors.job_for(request.user, pk)
    response = render(request, "core/_job_progress.html", {"job": job})
    if job.is_finished and job.result_url and request.headers.get("HX-Request"):
        response["HX-Trigger"] = "job-finished"
    return response


@role_required(Role.ADMIN)
def audit_log(request):
    queryset = selectors.audit_entries(request.user)
    filterset = AuditLogFilter(request.GET, queryset=queryset)
    table = AuditLogTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(request, "core/audit_log.html", {"table": table, "filter": filterset})


@login_required
def api_tokens(request):
    new_key = None
    if request.method == "POST":
        if "revoke" in request.POST:
            token = selectors.token_for(request.user, request.POST.get("revoke"))
            services.do_revoke_token(request.user, token, request=request)
            messages.success(request, _("토큰을 폐기했습니다."))
            return redirect("core:api_tokens")
        form = TokenForm(request.POST)
        if form.is_valid():
            _token, new_key = services.do_create_token(request.user, form.cleaned_data["name"],
                                                       request=request)
            form = TokenForm()
    else:
        form = TokenForm()
    return render(request, "core/api_tokens.html", {
        "form": form, "new_key": new_key, "tokens": selectors.tokens_for(request.user),
    })


def csrf_failure(request, reason=""):
    response = render(request, "core/csrf_failure.html", status=403)
    return response


def locked_out(request, credentials=None, *args, **kwargs) -> HttpResponse:
    return render(request, "core/locked_out.html", status=429)


@role_required(Role.ADMIN)
def user_list(request):
    return render(request, "core/user_list.html", {"accounts": selectors.users_for(request.user)})


@role_required(Role.ADMIN)
def user_edit(request, pk: int | None = None):
    from django.core.exceptions import ValidationError

    from seoul_digital.core.forms import UserForm

    account = selectors.user_for(request.user, pk) if pk else None
    fields = ("username", "last_name", "first_name", "email", "role", "district", "programme",
              "is_active")
    initial = {f: getattr(account, f) for f in fields} if account else {"is_active": True}
    form = UserForm(request.POST or None, initial=initial, creating=account is None)
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in fields if f in form.cleaned_data}
        try:
            if account is None:
                password = form.cleaned_data["password"]
                username = data.pop("username")
                services.do_create_user(request.user, username=username, password=password,
                                        request=request, **data)
                messages.success(request, _("계정을 만들었습니다."))
            else:
                data.pop("username", None)
                services.do_update_user(request.user, account, request=request, **data)
                messages.success(request, _("계정을 고쳤습니다."))
            return redirect("core:user_list")
        except ValidationError as err:
            for field, errors in getattr(err, "message_dict", {"__all__": err.messages}).items():
                form.add_error(field if field in form.fields else None, errors)
    return render(request, "core/user_edit.html", {"form": form, "account": account})
