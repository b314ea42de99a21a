from django.urls import path

from reporting import views

app_name = "reporting"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export/<slug:table>/", views.export, name="export"),
    path("imports/", views.import_data, name="import"),
    path("people/<int:pk>/imported-cases/", views.match_imported, name="match_imported"),
]
