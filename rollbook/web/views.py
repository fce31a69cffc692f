from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def home(request):
    # TODO: replace with the school landing page.
    return HttpResponse("Rollbook")
