"""The platform API at /api/v1/: session or token auth, the same scoping as the pages."""

from importlib import import_module

from django.conf import settings
from django.utils import timezone
from ninja import NinjaAPI
from ninja.security import APIKeyHeader, HttpBearer, SessionAuth

from seoul_digital import __version__


class TokenAuth(HttpBearer):
    """``Authorization: Bearer sdp_…`` with a personal token from /account/tokens/."""

    def authenticate(self, request, token):
        from seoul_digital.core.models import ApiToken

        if not token.startswith(settings.API_TOKEN_PREFIX):
            return None
        found = (ApiToken.objects.select_related("user")
                 .filter(key_hash=ApiToken.hash_key(token), revoked_at__isnull=True).first())
        if found is None or not found.user.is_active:
            return None
        now = timezone.now()
        if found.last_used_at is None or (now - found.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        return found.user


class TokenHeaderAuth(APIKeyHeader):
    """Same tokens in an ``X-API-Key`` header, for tools that cannot send Bearer."""

    param_name = "X-API-Key"

    def authenticate(self, request, key):
        return TokenAuth().authenticate(request, key or "")


class BrowserSessionAuth(SessionAuth):
    """The signed-in browser session, with Django's CSRF check on unsafe methods.

    Ninja's own session auth raises on a failed CSRF check even when the caller has no
    session at all, which ended the auth chain before token auth could run; here a request
    without a signed-in session is simply not a session request.
    """

    def _get_key(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return super()._get_key(request)

    def authenticate(self, request, key):
        return request.user if key is not None and request.user.is_authenticated else None


api = NinjaAPI(
    title="Seoul Digital Foundation platform API",
    version=__version__,
    description="서울디지털재단 플랫폼 API. 세션 또는 개인 토큰(Bearer)으로 인증합니다.",
    # Tokens first: a request carrying one is a program, never a forged browser form.
    auth=[TokenAuth(), TokenHeaderAuth(), BrowserSessionAuth()],
    urls_namespace="api",
)

api.add_router("/", "seoul_digital.core.api.router")

for _app in ("sewer", "siting", "bikes", "quality", "inclusion", "governance"):
    try:
        _module = import_module(f"seoul_digital.{_app}.api")
    except ModuleNotFoundError as err:
        if err.name != f"seoul_digital.{_app}.api":
            raise
        continue
    api.add_router(f"/{_app}/", _module.router)
