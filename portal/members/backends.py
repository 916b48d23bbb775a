"""Login rate limiting (django-axes) for every login form: the portal's and the admin's."""

from axes.backends import AxesStandaloneBackend


class RateLimitedBackend(AxesStandaloneBackend):
    """Axes's check, except where there is no request to limit (test clients' login(), scripts).

    Axes refuses authenticate() calls without a request; those never come from a login form on
    the web, so there is nothing to count and nothing to block.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
