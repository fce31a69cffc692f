from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("schools/<int:school_id>/", views.school_home, name="school_home"),
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="web/login.html", redirect_authenticated_user=True),
        name="login",
    ),
    # Django's LogoutView accepts POST only, so a link or a prefetch cannot sign anyone out.
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
