from django.urls import path

from . import team_views, views, views_forecast

app_name = "teams"
urlpatterns = [
    path("", views.overview, name="list"),
    path("vendors/<int:pk>/members/", views.roster, name="roster"),
    path("vendors/<int:pk>/members/new", views.member_create, name="member-create"),
    path("vendors/<int:pk>/members/export.<str:fmt>", views.roster_export, name="roster-export"),
    path("vendors/<int:pk>/import", views.roster_import, name="import"),
    path("vendors/<int:pk>/contracts", views.contracts_upload, name="contracts"),
    path("vendors/<int:pk>/stability", views.stability, name="stability"),
    path("imports/<int:pk>/", views.import_job, name="import-job"),
    path("imports/<int:pk>/retry", views.retry_import, name="import-retry"),
    path("imports/problems/", views.import_problems, name="import-problems"),
    path("members/<int:pk>/", views.member_detail, name="member"),
    path("members/<int:pk>/edit", views.member_edit, name="member-edit"),
    path("members/<int:pk>/documents", views.member_upload, name="member-upload"),
    path("engagements/<int:pk>/team", team_views.engagement_team, name="engagement-team"),
    path("engagements/<int:pk>/team/forecast", views_forecast.engagement_forecast, name="forecast"),
    path("forecast/backtest", views_forecast.forecast_backtest, name="forecast-backtest"),
    path("engagements/<int:pk>/team/double-bookings", views_forecast.engagement_bookings, name="team-bookings"),
    path("double-bookings", views_forecast.portfolio_bookings, name="bookings"),
    path("engagements/<int:pk>/team/add", team_views.team_add, name="team-add"),
    path("engagements/<int:pk>/team/end", team_views.assignments_end_selected, name="team-end-selected"),
    path("engagements/<int:pk>/waivers/new", team_views.waiver_grant, name="waiver-grant"),
    path("engagements/<int:pk>/replacements/new", team_views.replacement_propose, name="replacement-propose"),
    path("assignments/<int:pk>/end", team_views.assignment_end, name="assignment-end"),
    path("assignments/<int:pk>/acknowledge", team_views.assignment_acknowledge, name="assignment-acknowledge"),
    path("waivers/<int:pk>/revoke", team_views.waiver_revoke, name="waiver-revoke"),
    path("replacements/<int:pk>/decide", team_views.replacement_decide, name="replacement-decide"),
]
