from django.contrib.auth import views as auth_views
from django.urls import include, path

from cityline.analytics import spike_views
from cityline.console import (
    audit_views,
    contact_views,
    desk_filing_views,
    desk_views,
    export_views,
    forecast_views,
    inspect_views,
    performance_views,
    queue_views,
    request_views,
    statpack_views,
    survey_views,
    twofactor_views,
    views,
)
from cityline.sla import views as sla_views

app_name = "console"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(next_page="console:login"), name="logout"),
    path("articles/new/", views.article_new, name="article_new"),
    path("articles/<slug:slug>/", views.article_read, name="article_read"),
    path("articles/<slug:slug>/manage/", views.article_manage, name="article_manage"),
    path("articles/<slug:slug>/details/", views.article_details, name="article_details"),
    path("articles/<slug:slug>/expire/", views.article_expire_view, name="article_expire"),
    path("articles/<slug:slug>/draft/", views.draft_edit, name="draft_edit"),
    path("articles/<slug:slug>/compare/", views.revision_compare, name="revision_compare"),
    path(
        "articles/<slug:slug>/revisions/<int:revision_id>/",
        views.revision_detail,
        name="revision_detail",
    ),
    path(
        "articles/<slug:slug>/revisions/<int:revision_id>/<str:action>/",
        views.revision_action,
        name="revision_action",
    ),
    path("reports/unanswered/", views.report_unanswered, name="report_unanswered"),
    path("reports/unreviewed/", views.report_unreviewed, name="report_unreviewed"),
    path("reports/helpful/", views.report_helpful, name="report_helpful"),
    path("audit/", audit_views.audit_log, name="audit_log"),
    path("performance/", performance_views.performance, name="performance"),
    path(
        "performance/requests/",
        performance_views.performance_requests,
        name="performance_requests",
    ),
    path("performance/report/", performance_views.monthly_report_download, name="monthly_report"),
    path(
        "performance/reports/<str:name>",
        performance_views.monthly_report_stored,
        name="monthly_report_stored",
    ),
    path("performance/statpack/", statpack_views.stat_pack_download, name="stat_pack"),
    path(
        "performance/statpacks/<str:name>",
        statpack_views.stat_pack_stored,
        name="stat_pack_stored",
    ),
    path("contacts/figures/", contact_views.contact_figures, name="contact_figures"),
    path("forecast/", forecast_views.forecast, name="forecast"),
    path("spikes/", spike_views.spike_list, name="spikes"),
    path(
        "spikes/<int:spike_id>/acknowledge/",
        spike_views.spike_acknowledge_view,
        name="spike_acknowledge",
    ),
    path("forecast/staffing.csv", forecast_views.staffing_csv, name="staffing_csv"),
    path("surveys/", survey_views.survey_settings, name="survey_settings"),
    path("survey-answers/", survey_views.survey_answers_page, name="survey_answers"),
    path("survey-answers.csv", survey_views.survey_answers_csv, name="survey_answers_csv"),
    path("desk/", desk_views.desk, name="desk"),
    path("desk/start/", desk_views.desk_start, name="desk_start"),
    path("desk/<int:contact_id>/", desk_views.desk_contact, name="desk_contact"),
    path(
        "desk/<int:contact_id>/answers/<slug:slug>/",
        desk_views.desk_answer_used,
        name="desk_answer_used",
    ),
    path("desk/<int:contact_id>/status/", desk_views.desk_status_inquiry, name="desk_status"),
    path("desk/<int:contact_id>/wrap-up/", desk_views.desk_wrap_up, name="desk_wrap_up"),
    path("desk/<int:contact_id>/file/", desk_filing_views.desk_file, name="desk_file"),
    path(
        "desk/<int:contact_id>/file/submit/",
        desk_filing_views.desk_file_submit,
        name="desk_file_submit",
    ),
    path(
        "desk/<int:contact_id>/file/nearby/",
        desk_filing_views.desk_file_nearby,
        name="desk_file_nearby",
    ),
    path(
        "desk/<int:contact_id>/file/addresses/",
        desk_filing_views.desk_file_addresses,
        name="desk_file_addresses",
    ),
    path(
        "desk/<int:contact_id>/follow/<str:tracking_number>/",
        desk_filing_views.desk_follow,
        name="desk_follow",
    ),
    path("desk/triage/", include("cityline.channels.triage_urls")),
    path("emergencies/", include("cityline.emergencies.urls")),
    path("broadcasts/", include("cityline.emergencies.broadcast_urls")),
    path("contacts/figures.csv", contact_views.contact_figures_csv, name="contact_figures_csv"),
    path("audit/export.csv", export_views.audit_export, name="audit_export"),
    path("queue/", queue_views.queue, name="queue"),
    path("queue/export.csv", export_views.queue_export, name="queue_export"),
    path("2fa/setup/", twofactor_views.setup, name="2fa_setup"),
    path("2fa/verify/", twofactor_views.verify, name="2fa_verify"),
    path("inspect/", inspect_views.inspect, name="inspect"),
    path(
        "inspect/filed/<str:tracking_number>/",
        inspect_views.inspect_filed,
        name="inspect_filed",
    ),
    path("requests/bulk/", request_views.requests_bulk, name="requests_bulk"),
    path("requests/<str:tracking_number>/", request_views.request_detail, name="request_detail"),
    path(
        "requests/<str:tracking_number>/requester/",
        request_views.requester_show,
        name="request_requester",
    ),
    *(
        path(f"requests/<str:tracking_number>/{name}/", view, name=f"request_{name}")
        for name, view in request_views.ACTION_VIEWS.items()
    ),
    path("sla/", sla_views.notice_list, name="sla_notices"),
    path("sla/<int:notice_id>/read/", sla_views.notice_read, name="sla_notice_read"),
]
