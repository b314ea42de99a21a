"""Retention review URLs, at the site root (/retention/) as before they moved here from hub.

hub/urls.py includes them in the `security` namespace with hub's security pages, so that their
names (security:retention_list, security:retention_review) did not change.
"""

from django.urls import path

from cautions import retention_views

urlpatterns = [
    path("retention/", retention_views.retention_list, name="retention_list"),
    path("retention/cases/<int:pk>/", retention_views.retention_review, name="retention_review"),
]
