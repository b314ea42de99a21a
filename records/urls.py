from django.urls import path

from records import views

app_name = "records"

urlpatterns = [
    path("people/<int:pk>/merge/", views.merge, name="merge"),
    path("people/<int:pk>/unmerge/", views.unmerge, name="unmerge"),
    path("subject-access/", views.subject_access_search, name="subject_access_search"),
    path("subject-access/<int:pk>/", views.subject_access, name="subject_access"),
]
