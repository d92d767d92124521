"""mgWebService.asmx: ModernGov's web service, answered as ASP.NET answers it.

Three ways in, as an ASP.NET web service has: HTTP GET (`/mgWebService.asmx/GetMeeting?
lMeetingId=1`), HTTP POST of the same parameters form-encoded, and a SOAP 1.1 or 1.2
envelope posted to `/mgWebService.asmx`. The WSDL is at `/mgWebService.asmx?WSDL`.
No sign-in: whoever asks reads as the public (a councillor's session opens nothing here).
"""

from xml.etree import ElementTree as ET

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as defused
from django.http import HttpResponse, HttpResponseNotAllowed
from django.views.decorators.csrf import csrf_exempt

from .methods import BY_LOWER_NAME, Method, Refused, answer, parse_value
from .wsdl import NAMESPACE, SOAP11, SOAP12, service_description
from .xml import add, document

XML = "text/xml; charset=utf-8"


def _refused(message: str, status: int = 400) -> HttpResponse:
    # ASP.NET answers these with a 500 and the exception's text; Quorum gives the same text
    # with a 4xx (the request was wrong, not the server), which clients treat the same way:
    # not a 200, so no XML to read.
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def _values(method: Method, given: dict[str, str]) -> dict[str, object]:
    """The method's parameters from what was sent, names in any case (ASP.NET's query string
    is case-insensitive). Every parameter is required, whatever the WSDL says (see docs)."""
    lowered = {name.lower(): value for name, value in given.items()}
    values = {}
    for param in method.params:
        raw = lowered.get(param.name.lower())
        if raw is None:
            raise Refused(f"System.InvalidOperationException: Missing parameter: {param.name}.")
        values[param.name] = parse_value(param, raw)
    return values


@csrf_exempt
def call(request, name: str):
    """GET or form POST to /mgWebService.asmx/{Method}."""
    method = BY_LOWER_NAME.get(name.lower())
    if method is None:
        return _refused(
            f"System.InvalidOperationException: Request format is unrecognized for URL unexpectedly ending in '/{name}'.",
            status=404,
        )
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    given = request.POST if request.method == "POST" else request.GET
    try:
        root = answer(method, _values(method, given.dict()), request.build_absolute_uri)
    except Refused as refused:
        return _refused(str(refused))
    return HttpResponse(document(root), content_type=XML)


@csrf_exempt
def endpoint(request):
    """/mgWebService.asmx itself: the WSDL (?WSDL), SOAP envelopes (POST), or the list of
    methods."""
    if request.method == "POST":
        return _soap(request)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "POST"])
    if any(key.lower() == "wsdl" for key in request.GET):
        return HttpResponse(document(service_description(request.build_absolute_uri())), content_type=XML)
    lines = ["mgWebService Web Service", "", "The following operations are supported:", ""]
    lines += [f"  {name}" for name in sorted(m.name for m in BY_LOWER_NAME.values())]
    lines += ["", f"Service description: {request.build_absolute_uri()}?WSDL"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


# SOAP -----------------------------------------------------------------------------------------


def _parse(body: bytes) -> ET.Element:
    """The envelope, parsed with no DTD at all: a DOCTYPE (entity expansion, external
    entities) is refused before anything is read."""
    try:
        return defused.fromstring(body, forbid_dtd=True)
    except (LookupError, ValueError) as exc:
        # An XML declaration naming an encoding the parser does not know (LookupError) or
        # cannot read (ValueError: expat reads no multi-byte encoding but UTF-8 and UTF-16)
        # is an envelope that cannot be read, as is any other that is not well-formed.
        raise ET.ParseError(str(exc)) from exc


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _soap(request) -> HttpResponse:
    content_type = request.content_type or ""
    envelope_ns = SOAP12 if content_type == "application/soap+xml" else SOAP11
    if content_type not in ("text/xml", "application/soap+xml"):
        return _refused(
            "System.InvalidOperationException: Request format is invalid: " + (content_type or "(none)") + "."
        )
    try:
        envelope = _parse(request.body)
        body = envelope.find(f"{{{envelope_ns}}}Body")
        call_element = next(iter(body)) if body is not None and len(body) else None
        if call_element is None:
            raise Refused("Server did not recognize the value of HTTP Header SOAPAction: .")
        method = BY_LOWER_NAME.get(_local(call_element.tag).lower())
        if method is None:
            raise Refused(f"Server did not recognize the value of HTTP Header SOAPAction: {_local(call_element.tag)}.")
        given = {_local(child.tag): child.text or "" for child in call_element}
        root = answer(method, _values(method, given), request.build_absolute_uri)
    except (DefusedXmlException, ET.ParseError):
        return _fault(envelope_ns, "Server was unable to read request. There is an error in XML document.")
    except Refused as refused:
        return _fault(envelope_ns, str(refused))
    out, body = _envelope(envelope_ns)
    response = ET.SubElement(body, f"{method.name}Response", xmlns=NAMESPACE)
    # The answer's own elements are in no namespace, as over HTTP GET.
    root.set("xmlns", "")
    ET.SubElement(response, f"{method.name}Result").append(root)
    return HttpResponse(document(out), content_type=_soap_content_type(envelope_ns))


def _envelope(envelope_ns: str) -> tuple[ET.Element, ET.Element]:
    """An envelope and its body, prefixed "soap" (as ASP.NET writes them) without touching
    ElementTree's global table of prefixes (the WSDL's "soap" is another namespace)."""
    out = ET.Element("soap:Envelope", {"xmlns:soap": envelope_ns})
    return out, ET.SubElement(out, "soap:Body")


def _soap_content_type(envelope_ns: str) -> str:
    return "application/soap+xml; charset=utf-8" if envelope_ns == SOAP12 else XML


def _fault(envelope_ns: str, message: str) -> HttpResponse:
    out, body = _envelope(envelope_ns)
    fault = ET.SubElement(body, "soap:Fault")
    if envelope_ns == SOAP12:
        add(ET.SubElement(fault, "soap:Code"), "soap:Value", "soap:Sender")
        add(ET.SubElement(fault, "soap:Reason"), "soap:Text", message, **{"xml:lang": "en"})
    else:
        add(fault, "faultcode", "soap:Client")
        add(fault, "faultstring", message)
    # A client's fault: 400 rather than SOAP 1.1's 500 (house rule: no input yields a 500);
    # SOAP clients read the fault from the body whatever the status.
    return HttpResponse(document(out), status=400, content_type=_soap_content_type(envelope_ns))
