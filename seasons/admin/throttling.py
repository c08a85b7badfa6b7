"""Admin login throttling (django-axes; settings.AXES_*): wrong passwords are counted and kept by
account and address, and a pair that fails too often is locked out for a while."""

from axes.backends import AxesStandaloneBackend


class LoginThrottleBackend(AxesStandaloneBackend):
    """django-axes' backend, which refuses a locked-out login before its password is checked.
    A login without a request (``authenticate()`` in a management command) comes from no address
    and through no form: nothing to count, so it goes on to the next backend instead of raising
    as django-axes' own does."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
