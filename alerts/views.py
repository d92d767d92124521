"""The public's alert pages: subscribe, confirm, manage (from a signed link) and unsubscribe.
Thin: a form or a token in, a service called, a template out."""

import hmac

from django.conf import settings
from django.core.validators import slug_re
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from committee.models import Committee, Member
from core.http import mark_private

from . import bounces, services, tokens
from .forms import FrequencyForm, SubscribeForm
from .models import Subscriber, Subscription


def _private(response):
    # A page reached from a personal link names the person's address: never cached or indexed.
    mark_private(response)
    return response


def _named(model, slug: str | None):
    """The committee or councillor a link to the form names, or None: an address that is not
    a slug at all (a NUL character, a space) names nobody and is never sent to the database."""
    if not slug or not slug_re.fullmatch(slug):
        return None
    return model.objects.filter(slug=slug).first()


@require_http_methods(["GET", "POST"])
def subscribe(request):
    initial = {}
    if committee := _named(Committee, request.GET.get("committee")):
        initial.update(kind="committee", committee=committee)
    if member := _named(Member, request.GET.get("councillor")):
        initial.update(kind="councillor", member=member.slug)
    if request.GET.get("kind") == "decisions":
        initial.update(kind="decisions")
    if words := request.GET.get("words"):
        initial.update(kind="search", words=words[:200])
    form = SubscribeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.subscribe(
            email=data["email"],
            kind=data["kind"],
            committee=data["committee"],
            member=data["member"],
            words=data["words"],
            frequency=data["frequency"],
        )
        # The same page whether or not the address already had the alert: nobody learns
        # from it who subscribes to what.
        return redirect(reverse("alerts:check-email") + "?sent=1")
    return render(request, "alerts/subscribe.html", {"form": form})


def check_email(request):
    return render(request, "alerts/check_email.html")


def confirm(request, token):
    try:
        subscription = Subscription.objects.select_related("subscriber").get(pk=tokens.confirm_id(token))
    except (tokens.BadLink, Subscription.DoesNotExist):
        return _private(render(request, "alerts/bad_link.html", status=404))
    if request.method == "POST":
        services.subscription_confirm(subscription=subscription)
        return redirect("alerts:manage", token=tokens.manage_token(subscription.subscriber_id))
    # Confirming takes a button press (POST), so that a mail scanner fetching the link does not
    # confirm on the person's behalf.
    return _private(render(request, "alerts/confirm.html", {"subscription": subscription}))


def _subscriber(token) -> Subscriber:
    try:
        return Subscriber.objects.get(pk=tokens.manage_id(token))
    except (tokens.BadLink, Subscriber.DoesNotExist) as exc:
        raise Http404 from exc


@require_http_methods(["GET", "POST"])
def manage(request, token):
    try:
        subscriber = _subscriber(token)
    except Http404:
        return _private(render(request, "alerts/bad_link.html", status=404))
    form = FrequencyForm(request.POST or None, initial={"frequency": subscriber.frequency})
    if request.method == "POST":
        if "stop_all" in request.POST:
            services.subscriber_cancel_all(subscriber=subscriber)
            return redirect("alerts:manage", token=token)
        if form.is_valid():
            services.subscriber_set_frequency(subscriber=subscriber, frequency=form.cleaned_data["frequency"])
            return redirect(reverse("alerts:manage", args=[token]) + "?saved=1")
    subscriptions = subscriber.subscriptions.select_related("committee", "member").order_by("kind", "pk")
    rows = [(s, tokens.unsubscribe_token(s.pk)) for s in subscriptions]
    return _private(
        render(
            request,
            "alerts/manage.html",
            {"subscriber": subscriber, "rows": rows, "form": form, "saved": "saved" in request.GET},
        )
    )


@csrf_exempt  # RFC 8058: the mail client POSTs from no page of ours; the signed token is the check
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    try:
        ids = tokens.unsubscribe_ids(token)
    except tokens.BadLink:
        return _private(render(request, "alerts/bad_link.html", status=404))
    # Those already gone are left out: unsubscribing again says so, and is no error.
    subscriptions = list(
        Subscription.objects.select_related("subscriber", "committee", "member").filter(pk__in=ids).order_by("pk")
    )
    if request.method == "POST":
        manage_token = tokens.manage_token(subscriptions[0].subscriber_id) if subscriptions else ""
        described = [subscription.describe() for subscription in subscriptions]
        for subscription in subscriptions:
            services.subscription_cancel(subscription=subscription)
        if request.POST.get("List-Unsubscribe") == "One-Click":
            return _private(HttpResponse("Unsubscribed.", content_type="text/plain"))
        return _private(
            render(request, "alerts/unsubscribed.html", {"described": described, "manage_token": manage_token})
        )
    # The link in a message: one button (POST), so that a mail scanner following links cannot
    # unsubscribe anyone; mail clients use the RFC 8058 header, one click and no page.
    return _private(render(request, "alerts/unsubscribe.html", {"subscriptions": subscriptions, "token": token}))


@csrf_exempt  # the mail provider POSTs from no page of ours; the shared token is the check
@require_http_methods(["POST"])
def bounce(request):
    """A bounce or complaint reported later by the mail provider: POST JSON
    {"address", "kind": "hard"|"soft"|"complaint", "message_id"?} with the header
    `Authorization: Bearer <QUORUM_BOUNCE_TOKEN>`. No token set: there is no endpoint (404)."""
    token = settings.QUORUM_BOUNCE_TOKEN
    if not token:
        raise Http404
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(given.encode(), token.encode()):
        return JsonResponse({"error": "The token is missing or wrong."}, status=403)
    try:
        reported = bounces.from_json(request.body)
    except bounces.BadReport as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    [recorded] = bounces.record([reported])
    return JsonResponse({"recorded": {"address": recorded.email, "kind": recorded.kind}}, status=201)
