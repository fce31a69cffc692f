from django.urls import include, path

urlpatterns = [
    path("", include("rollbook.web.urls")),
]
