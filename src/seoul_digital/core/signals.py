"""Sign-ins and sign-outs go to the audit log like any other access."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from seoul_digital.core import audit


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    audit.record(user, "login", user, request=request)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit.record(user, "logout", user, request=request)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    from seoul_digital.core.models import AuditLog

    username = str(credentials.get("username", ""))[:150]
    AuditLog.objects.create(username=username, action="login_failed",
                            ip_address=audit.client_ip(request),
                            path=request.get_full_path()[:300] if request is not None else "")
