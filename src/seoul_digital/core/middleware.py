"""Per-request display preferences (large text) from the cookie or the user's profile."""

LARGE_TEXT_COOKIE = "large_text"


class PreferencesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        cookie = request.COOKIES.get(LARGE_TEXT_COOKIE)
        if cookie in ("0", "1"):
            request.large_text = cookie == "1"
        else:
            user = getattr(request, "user", None)
            request.large_text = bool(user and user.is_authenticated and user.large_text)
        return self.get_response(request)
