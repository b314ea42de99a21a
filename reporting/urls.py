from django.urls import path

from reporting import import_views, views

app_name = "reporting"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("cohorts/", views.dashboard, {"section": "cohorts"}, name="cohorts"),
    path("breakdowns/", views.dashboard, {"section": "breakdowns"}, name="breakdowns"),
    path("comparison/", views.dashboard, {"section": "comparison"}, name="comparison"),
    path("downloads/", views.dashboard, {"section": "downloads"}, name="downloads"),
    path("refresh/", views.refresh, name="refresh"),
    path("export/all/", views.export_all, name="export_all"),
    path("export/<slug:table>/", views.export, name="export"),
    path("imports/", import_views.import_data, name="import"),
    path("imports/<int:pk>/", import_views.import_job, name="import_job"),
    path("people/<int:pk>/imported-cases/", views.match_imported, name="match_imported"),
]
