"""The OpenAPI schema and its docs page, served by the app itself (no CDN)."""

import re
import urllib.request

import pytest
import yaml
from django.core.management import call_command

pytestmark = pytest.mark.django_db

ASSET = re.compile(r'(?:src|href)="([^"]+)"')


def test_schema_is_served(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["info"]["title"] == "Kinerja API"
    for path in (
        "/api/token/",
        "/api/agencies/{id}/",
        "/api/units/{id}/",
        "/api/positions/{id}/",
        "/api/employees/",
        "/api/employees/{id}/move/",
        "/api/employees/{id}/deactivate/",
    ):
        assert path in schema["paths"], path
    assert {"cookieAuth", "tokenAuth"} <= set(schema["components"]["securitySchemes"])
    # The token endpoint needs no credentials (no security requirement at all).
    assert schema["paths"]["/api/token/"]["post"].get("security", []) in ([], [{}])
    assert schema["paths"]["/api/employees/"]["get"]["security"] == [
        {"cookieAuth": []},
        {"tokenAuth": []},
    ]
    filters = {p["name"] for p in schema["paths"]["/api/employees/"]["get"]["parameters"]}
    assert {"search", "unit", "kind", "status", "active", "page", "page_size"} <= filters


def test_schema_generates_without_warnings(tmp_path):
    # --fail-on-warn raises SchemaGenerationError on any warning or error.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", tmp_path / "s.yaml")
    assert (tmp_path / "s.yaml").read_text().startswith("openapi: 3")


def test_docs_page_calls_no_outside_host(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "cdn" not in body.lower()
    assets = ASSET.findall(body)
    assert assets, "the docs page should load Swagger UI's files"
    # Swagger UI's files, and its start-up script served by the same view (no
    # inline script: the Content-Security-Policy allows none).
    assert all(a.startswith("/static/") or a == "/api/docs/?script=" for a in assets), assets
    assert "https://" not in body and "http://" not in body
    script = client.get("/api/docs/?script=").content.decode()
    assert '"validatorUrl": null' in script
    assert '"/api/schema/"' in script


@pytest.mark.django_db(transaction=True)
def test_docs_assets_are_served(client, live_server):
    body = client.get("/api/docs/").content.decode()
    for asset in ASSET.findall(body):
        with urllib.request.urlopen(live_server.url + asset, timeout=10) as response:  # noqa: S310
            assert response.status == 200, asset
            assert len(response.read()) > 100, asset
