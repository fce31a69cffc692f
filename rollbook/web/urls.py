from django.contrib.auth import views as auth_views
from django.urls import path

from . import views
from .auth import ThrottledLoginView

urlpatterns = [
    path("", views.home, name="home"),
    path("schools/<int:school_id>/", views.school_home, name="school_home"),
    path("login/", ThrottledLoginView.as_view(), name="login"),
    # Django's LogoutView accepts POST only, so a link or a prefetch cannot sign anyone out.
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
