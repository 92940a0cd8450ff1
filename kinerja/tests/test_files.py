import pytest
from django.http import Http404

from kinerja.files import private_file_response


def test_private_file_is_a_sandboxed_download(tmp_path):
    path = tmp_path / "a1b2"
    path.write_bytes(b"%PDF-1.4 test")
    response = private_file_response(
        lambda: path, filename="laporan.pdf", content_type="application/pdf"
    )
    assert response["Content-Disposition"] == 'attachment; filename="laporan.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"


@pytest.mark.parametrize("error", [FileNotFoundError, PermissionError])
def test_missing_or_refused_path_is_404(tmp_path, error):
    def locate():
        raise error("x")

    with pytest.raises(Http404):
        private_file_response(locate, filename="x.pdf", content_type="application/pdf")
    with pytest.raises(Http404):
        private_file_response(lambda: tmp_path / "nope", filename="x.pdf", content_type="x/y")
