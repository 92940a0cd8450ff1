class IndonesianByDefaultMiddleware:
    """The UI is Indonesian unless the user switched language (the language
    cookie set by /i18n/setlang/). The browser's Accept-Language is ignored,
    so a phone or browser set to English still shows the official Indonesian
    terms until the user chooses English. Goes right before LocaleMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
