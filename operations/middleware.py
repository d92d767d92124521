"""The operator's endpoints, answered before any other middleware: a load balancer's probe or
Prometheus's scrape comes by address (not the portal's host name) and over plain http inside
the network, so neither the host check, the https redirect, sessions nor sign-in apply, and a
probe costs no more than its checks."""

import json

from django.http import HttpResponse, HttpResponseNotFound

from . import health, metrics

NO_STORE = "no-store"


def _json(body: dict, status: int) -> HttpResponse:
    response = HttpResponse(json.dumps(body, indent=1) + "\n", content_type="application/json", status=status)
    response["Cache-Control"] = NO_STORE
    # Django would log a 503 as an error on every probe; health.readiness logs what failed.
    response._has_been_logged = True
    return response


def healthz(request) -> HttpResponse:
    return _json({"status": "ok"}, 200)


def readyz(request) -> HttpResponse:
    ready, checks = health.readiness()
    return _json({"status": "ready" if ready else "not ready", "checks": checks}, 200 if ready else 503)


def metrics_view(request) -> HttpResponse:
    if not metrics.may_scrape(request):
        # As if there were nothing here: the public learns nothing from the address.
        return HttpResponseNotFound("Not found\n", content_type="text/plain")
    body, content_type = metrics.exposition()
    response = HttpResponse(body, content_type=content_type)
    response["Cache-Control"] = NO_STORE
    return response


ENDPOINTS = {"/healthz": healthz, "/readyz": readyz, "/metrics": metrics_view}


class OperationsEndpoints:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        endpoint = ENDPOINTS.get(request.path_info)
        if endpoint is not None and request.method in ("GET", "HEAD"):
            return endpoint(request)
        return self.get_response(request)
