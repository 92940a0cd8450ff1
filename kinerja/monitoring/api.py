"""REST API of this app; `register(router)` is called from kinerja/api_urls.py."""


def register(router):
    pass
