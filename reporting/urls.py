from django.urls import path

from reporting import import_views, views

app_name = "reporting"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export/<slug:table>/", views.export, name="export"),
    path("imports/", import_views.import_data, name="import"),
    path("imports/<int:pk>/", import_views.import_job, name="import_job"),
    path("people/<int:pk>/imported-cases/", views.match_imported, name="match_imported"),
]
