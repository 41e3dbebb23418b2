"""The programme's reference data: 40 contents + partner courses, questionnaire v1, and the
2021 activity-fee rule (33,000 KRW per 90-minute session, 21-hour monthly cap)."""

import datetime as dt

from django.db import migrations


def load(apps, schema_editor):
    from seoul_digital.inclusion.engine import contents, diagnosis

    Content = apps.get_model("inclusion", "Content")
    for kind, items in (("core", contents.CONTENTS), ("partner", contents.PARTNER_COURSES)):
        for order, c in enumerate(items):
            Content.objects.update_or_create(code=c.code, defaults={
                "sort_order": order,
                "kind": kind, "level": c.level, "skill": c.skill, "title_ko": c.title_ko,
                "title_en": c.title_en, "objective_ko": c.objective_ko,
                "objective_en": c.objective_en, "minutes": c.minutes, "robot": c.robot,
                "partner_ko": c.partner_ko, "partner_en": c.partner_en})
    Questionnaire = apps.get_model("inclusion", "Questionnaire")
    form = diagnosis.QUESTIONNAIRE_V1
    Questionnaire.objects.update_or_create(code=form.code, version=form.version,
                                           defaults={"definition": form.as_dict(), "active": True})
    FeeSchedule = apps.get_model("inclusion", "FeeSchedule")
    FeeSchedule.objects.get_or_create(effective_from=dt.date(2021, 1, 1), defaults={
        "rate_per_session": 33_000, "session_minutes": 90, "monthly_cap_minutes": 21 * 60,
        "min_paid_minutes": 60, "pay_no_show": False, "sessions_per_learner_month": 2,
        "note": "2021 사업계획 기준"})


def unload(apps, schema_editor):
    apps.get_model("inclusion", "Content").objects.all().delete()
    apps.get_model("inclusion", "Questionnaire").objects.all().delete()
    apps.get_model("inclusion", "FeeSchedule").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("inclusion", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
