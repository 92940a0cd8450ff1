"""Serving private files (evidence, award/sanction documents): always as a
download, never rendered by the browser, and a missing file is a 404."""

from collections.abc import Callable
from os import PathLike

from django.http import FileResponse, Http404


def private_file_response(
    locate: Callable[[], str | PathLike[str]], *, filename: str, content_type: str
) -> FileResponse:
    """`locate()` returns the file's path; it may raise OSError (e.g. a stored
    name that is not one of ours), which, like a missing file, is a 404."""
    try:
        handle = open(locate(), "rb")  # noqa: SIM115 - FileResponse closes it
    except OSError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
