from django.urls import path

from seoul_digital.inclusion import views

app_name = "inclusion"

urlpatterns = [
    path("", views.index, name="index"),
    path("dashboard/", views.dashboard, name="dashboard"),
    # learners and diagnosis
    path("learners/", views.learner_list, name="learner_list"),
    path("learners/new/", views.learner_register, name="learner_register"),
    path("learners/<int:pk>/", views.learner_detail, name="learner_detail"),
    path("learners/<int:pk>/edit/", views.learner_edit, name="learner_edit"),
    path("learners/<int:pk>/card/", views.learner_card, name="learner_card"),
    path("learners/<int:learner_pk>/diagnosis/", views.diagnosis_new, name="diagnosis_new"),
    path("learners/<int:learner_pk>/repetition/", views.repetition_assign, name="repetition_assign"),
    path("diagnoses/<int:pk>/", views.diagnosis_detail, name="diagnosis_detail"),
    # supporters
    path("supporters/", views.supporter_list, name="supporter_list"),
    path("supporters/apply/", views.supporter_apply, name="supporter_apply"),
    path("supporters/<int:pk>/", views.supporter_detail, name="supporter_detail"),
    path("supporters/<int:pk>/edit/", views.supporter_edit, name="supporter_edit"),
    path("supporters/<int:pk>/stage/", views.supporter_stage, name="supporter_stage"),
    path("supporters/<int:pk>/account/", views.supporter_link, name="supporter_link"),
    path("supporters/<int:supporter_pk>/statement/<int:year>/<int:month>/", views.statement,
         name="statement"),
    path("supporters/<int:supporter_pk>/statement/<int:year>/<int:month>.xlsx",
         views.statement_xlsx, name="statement_xlsx"),
    path("me/", views.my_home, name="my_home"),
    # matching
    path("runs/", views.run_list, name="run_list"),
    path("runs/new/", views.run_new, name="run_new"),
    path("runs/<int:pk>/", views.run_detail, name="run_detail"),
    path("matches/", views.match_list, name="match_list"),
    path("matches/<int:pk>/", views.match_detail, name="match_detail"),
    path("matches/<int:pk>/confirm/", views.match_confirm, name="match_confirm"),
    path("matches/<int:pk>/reject/", views.match_reject, name="match_reject"),
    path("matches/<int:pk>/respond/", views.match_respond, name="match_respond"),
    path("matches/<int:pk>/close/", views.match_close, name="match_close"),
    path("matches/<int:match_pk>/lessons/new/", views.lesson_book, name="lesson_book"),
    # lessons and repetition
    path("lessons/", views.lesson_list, name="lesson_list"),
    path("lessons/<int:pk>/log/", views.lesson_log, name="lesson_log"),
    path("lessons/<int:pk>/cancel/", views.lesson_cancel, name="lesson_cancel"),
    path("repetitions/<int:pk>/finish/", views.repetition_finish, name="repetition_finish"),
    # helpdesk
    path("helpdesk/", views.ticket_list, name="ticket_list"),
    path("helpdesk/new/", views.ticket_new, name="ticket_new"),
    path("helpdesk/<int:pk>/", views.ticket_detail, name="ticket_detail"),
    # fees and contents
    path("fees/", views.fee_list, name="fee_list"),
    path("contents/", views.content_list, name="content_list"),
    path("contents/<int:pk>/", views.content_detail, name="content_detail"),
    # robots
    path("robots/", views.robot_list, name="robot_list"),
    path("robots/new/", views.robot_new, name="robot_new"),
    path("robots/facilities/new/", views.facility_new, name="facility_new"),
    path("robots/<int:pk>/", views.robot_detail, name="robot_detail"),
    path("robots/<int:pk>/checkout/", views.robot_checkout, name="robot_checkout"),
    path("robots/<int:pk>/return/", views.robot_return, name="robot_return"),
    path("robots/<int:pk>/status/", views.robot_status, name="robot_status"),
    path("robots/<int:pk>/maintenance/", views.maintenance_open, name="maintenance_open"),
    path("maintenance/<int:pk>/close/", views.maintenance_close, name="maintenance_close"),
    path("robot-classes/", views.class_list, name="class_list"),
    path("robot-classes/new/", views.class_new, name="class_new"),
    path("robot-classes/rollup/", views.rollup, name="rollup"),
]
