import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from seoul_digital.core.models import AuditLog


class AuditLogTable(tables.Table):
    at = tables.DateTimeColumn(verbose_name=_("일시"), format="Y-m-d H:i:s")
    username = tables.Column(verbose_name=_("사용자"))
    action = tables.Column(verbose_name=_("행위"))
    model = tables.Column(verbose_name=_("대상 종류"))
    object_repr = tables.Column(verbose_name=_("대상"))
    district = tables.Column(verbose_name=_("자치구"))
    changes = tables.TemplateColumn(template_name="core/_audit_changes.html",
                                    verbose_name=_("변경 내용"), orderable=False)
    ip_address = tables.Column(verbose_name=_("접속 IP"))

    class Meta:
        model = AuditLog
        fields = ("at", "username", "action", "model", "object_repr", "district", "changes",
                  "ip_address")
        attrs = {"class": "data-table"}
        template_name = "django_tables2/table.html"
