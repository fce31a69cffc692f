from django.urls import include, path

urlpatterns = [
    path("schools/<int:school_id>/registers/", include("rollbook.registers.urls")),
    path("schools/<int:school_id>/contacts/", include("rollbook.web.contacts_urls")),
    path("schools/<int:school_id>/casework/", include("rollbook.casework.urls")),
    path("schools/<int:school_id>/statistics/", include("rollbook.statistics.urls")),
    path("schools/<int:school_id>/analysis/", include("rollbook.analysis.urls")),
    path("schools/<int:school_id>/office/", include("rollbook.office.urls")),
    path("schools/<int:school_id>/requests/", include("rollbook.requests.urls")),
    path("schools/<int:school_id>/children/", include("rollbook.requests.parent_urls")),
    path("", include("rollbook.web.urls")),
]
