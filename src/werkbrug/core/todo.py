# Temporary during development: a URL name that exists so templates render. Removed before commit of
# the feature that replaces it; the URL walker test fails while any view still points here.
from django.http import Http404


def todo(request, *args, **kwargs):
    raise Http404("not built yet")
