"""Security headers Django does not set by itself."""

# The portal uses no camera from script, no microphone, no location API, no payment: say so, so
# an injected script or embedded frame cannot ask for them either. The report form's photo input
# uses the camera through the file picker, which this policy does not affect.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=(), interest-cohort=()"
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
