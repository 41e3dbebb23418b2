import django_filters
from django.utils.translation import gettext_lazy as _

from seoul_digital.core.models import AuditLog


class AuditLogFilter(django_filters.FilterSet):
    username = django_filters.CharFilter(label=_("사용자"), lookup_expr="icontains")
    action = django_filters.ChoiceFilter(label=_("행위"), choices=AuditLog.Action.choices)
    model = django_filters.CharFilter(label=_("대상 종류"), lookup_expr="iexact")
    since = django_filters.DateFilter(label=_("시작일"), field_name="at", lookup_expr="date__gte",
                                      widget=django_filters.widgets.forms.DateInput(attrs={"type": "date"}))
    until = django_filters.DateFilter(label=_("종료일"), field_name="at", lookup_expr="date__lte",
                                      widget=django_filters.widgets.forms.DateInput(attrs={"type": "date"}))

    class Meta:
        model = AuditLog
        fields = ["username", "action", "model", "since", "until"]
