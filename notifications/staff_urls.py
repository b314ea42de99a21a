"""The staff notifications pages, under /notifications/ (included by notifications.urls)."""

from django.urls import path

from notifications import staff_views

urlpatterns = [
    path("", staff_views.staff_list, name="staff_list"),
    path("<int:pk>/", staff_views.staff_open, name="staff_open"),
    path("mark-all-read/", staff_views.staff_mark_all_read, name="staff_mark_all_read"),
    path("preferences/", staff_views.staff_preferences, name="staff_preferences"),
]
