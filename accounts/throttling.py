"""Anonymous writes (the public tip form and API, the API token endpoint) are rate-limited per client address with
DRF's throttling, on the platform's cache (Redis in services mode). The rate is ``settings.ANON_WRITE_RATE``."""

from django.conf import settings
from rest_framework.permissions import SAFE_METHODS
from rest_framework.throttling import AnonRateThrottle


class AnonymousWriteThrottle(AnonRateThrottle):
    """Counts only unauthenticated POSTs; usable on a DRF view and, through ``allows``, on a plain page."""

    scope = "anon_write"

    def get_rate(self):
        return settings.ANON_WRITE_RATE

    def allow_request(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        # The rate is read per request, so that a changed setting applies at once.
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)


def allows(request) -> bool:
    """Whether a plain page may take this anonymous write now (the same count as the API's)."""
    return AnonymousWriteThrottle().allow_request(request, None)
