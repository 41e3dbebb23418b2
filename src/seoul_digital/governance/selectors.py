"""Permission-checked reads for governance. Everything goes through ``restrict``.

Who sees what: foundation admins everything; programme staff the organisation, plans, audit
register and report, but spending, imports and 이월/전용 only of their own programme; every other
role (district officers included) nothing at all.
"""

from __future__ import annotations

from django.http import Http404

from seoul_digital.core.models import AuditLog, Programme
from seoul_digital.core.roles import Role, has_role
from seoul_digital.core.scoping import get_restricted_or_404
from seoul_digital.governance.models import (
    AuditEvidence, AuditItem, AuditProgressNote, Board, BoardRole, BudgetAdjustment, CostLine,
    ExtraPersonnel, FinanceFigure, FinanceLine, FiscalYear, PositionGrade, QuarterPlan, Spending,
    SpendingImport, Unit,
)

ORG_MODELS = ("unit", "positiongrade", "extrapersonnel", "board", "boardrole", "financeline",
              "financefigure")


def is_foundation(user) -> bool:
    return has_role(user, Role.foundation())


def is_admin(user) -> bool:
    return has_role(user, Role.admins())


# --- organisation ---------------------------------------------------------------------------

def units_for(user):
    return Unit.objects.restrict(user, "view").select_related("parent").prefetch_related("programmes")


def grades_for(user):
    return PositionGrade.objects.restrict(user, "view")


def extra_personnel_for(user):
    return ExtraPersonnel.objects.restrict(user, "view")


def boards_for(user):
    return Board.objects.restrict(user, "view")


def board_roles_for(user):
    return BoardRole.objects.restrict(user, "view").select_related("board")


def finance_lines_for(user):
    return FinanceLine.objects.restrict(user, "view")


def finance_figures_for(user):
    return FinanceFigure.objects.restrict(user, "view").select_related("line")


ORG_EDITABLE = {
    "unit": Unit, "position": PositionGrade, "extra": ExtraPersonnel, "board": Board,
    "boardrole": BoardRole, "finance": FinanceFigure,
}


def org_object(user, kind: str, pk, action: str = "change"):
    model = ORG_EDITABLE.get(kind)
    if model is None:
        raise Http404
    return get_restricted_or_404(model, user, action, pk=pk)


# --- budget ---------------------------------------------------------------------------------

def fiscal_years_for(user):
    return FiscalYear.objects.restrict(user, "view")


def fiscal_year_for(user, year, action: str = "view") -> FiscalYear:
    return get_restricted_or_404(FiscalYear, user, action, year=year)


def budget_programmes(user):
    """Programmes whose budget execution ``user`` may see: all for admins, their own for
    programme staff, none for anyone else."""
    queryset = Programme.objects.restrict(user, "view")
    if not is_foundation(user):
        return queryset.none()
    if user.role == Role.STAFF:
        return queryset.filter(pk=user.programme_id) if user.programme_id else queryset.none()
    return queryset


def budget_programme(user, code: str) -> Programme:
    try:
        return budget_programmes(user).get(code=code)
    except Programme.DoesNotExist:
        raise Http404 from None


def cost_lines_for(user, fiscal_year):
    return (CostLine.objects.restrict(user, "view").filter(fiscal_year=fiscal_year)
            .select_related("programme").prefetch_related("quarter_plans"))


def quarter_plans_for(user, fiscal_year):
    return (QuarterPlan.objects.restrict(user, "view")
            .filter(cost_line__fiscal_year=fiscal_year).select_related("cost_line"))


def spending_for(user, fiscal_year=None):
    queryset = Spending.objects.restrict(user, "view").select_related("programme", "cost_line",
                                                                      "batch")
    if fiscal_year is not None:
        queryset = queryset.filter(fiscal_year=fiscal_year)
    return queryset


def spending_row(user, pk, action: str = "view") -> Spending:
    return get_restricted_or_404(Spending.objects.select_related("programme", "fiscal_year"),
                                 user, action, pk=pk)


def imports_for(user):
    return SpendingImport.objects.restrict(user, "view").select_related("uploaded_by", "fiscal_year")


def import_for(user, pk, action: str = "view") -> SpendingImport:
    return get_restricted_or_404(SpendingImport.objects.select_related("fiscal_year"), user,
                                 action, pk=pk)


def adjustments_for(user, fiscal_year):
    return (BudgetAdjustment.objects.restrict(user, "view").filter(fiscal_year=fiscal_year)
            .select_related("programme", "source_programme", "created_by"))


# --- audit register -------------------------------------------------------------------------

def audit_items_for(user):
    return AuditItem.objects.restrict(user, "view").select_related("owner_unit")


def audit_item_for(user, pk, action: str = "view") -> AuditItem:
    return get_restricted_or_404(AuditItem.objects.select_related("owner_unit"), user, action,
                                 pk=pk)


def notes_for(user, item):
    return AuditProgressNote.objects.restrict(user, "view").filter(item=item).select_related("author")


def evidence_list(user, item):
    return AuditEvidence.objects.restrict(user, "view").filter(item=item).select_related("uploaded_by")


def evidence_for(user, pk) -> AuditEvidence:
    return get_restricted_or_404(AuditEvidence.objects.select_related("item"), user, "view", pk=pk)


# --- history (the core audit log: admins only) ----------------------------------------------

def history_for(user, model_names, object_ids=None):
    queryset = AuditLog.objects.restrict(user, "view").filter(app_label="governance",
                                                              model__in=list(model_names))
    if object_ids is not None:
        queryset = queryset.filter(object_id__in=[str(i) for i in object_ids])
    return queryset.select_related("user")


def audit_item_history(user, item):
    """Changes of the item itself plus the notes and evidence added to it."""
    from django.db.models import Q

    note_ids = [str(pk) for pk in AuditProgressNote.objects.restrict(user, "view")
                .filter(item=item).values_list("pk", flat=True)]
    evidence_ids = [str(pk) for pk in AuditEvidence.objects.restrict(user, "view")
                    .filter(item=item).values_list("pk", flat=True)]
    return (AuditLog.objects.restrict(user, "view").filter(app_label="governance")
            .filter(Q(model="audititem", object_id=str(item.pk))
                    | Q(model="auditprogressnote", object_id__in=note_ids)
                    | Q(model="auditevidence", object_id__in=evidence_ids))
            .select_related("user"))
