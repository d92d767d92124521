"""The WSDL at /mgWebService.asmx?WSDL, describing exactly the methods served, as ASP.NET
writes one: SOAP 1.1, SOAP 1.2, HTTP GET and HTTP POST bindings of one port type each.

As in ModernGov's, a string parameter is `minOccurs="0"` (ASP.NET writes every reference
type so) while the service requires it: docs/moderngov.md says so.
"""

from xml.etree import ElementTree as ET

from .methods import METHODS

NAMESPACE = "http://moderngov.co.uk/namespace"
SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP12 = "http://www.w3.org/2003/05/soap-envelope"

WSDL = "http://schemas.xmlsoap.org/wsdl/"
XSD = "http://www.w3.org/2001/XMLSchema"
WSDL_SOAP = "http://schemas.xmlsoap.org/wsdl/soap/"
WSDL_SOAP12 = "http://schemas.xmlsoap.org/wsdl/soap12/"
WSDL_HTTP = "http://schemas.xmlsoap.org/wsdl/http/"
WSDL_MIME = "http://schemas.xmlsoap.org/wsdl/mime/"
SERVICE = "mgWebService"

for prefix, uri in (
    ("wsdl", WSDL),
    ("s", XSD),
    ("soap", WSDL_SOAP),
    ("soap12", WSDL_SOAP12),
    ("http", WSDL_HTTP),
    ("mime", WSDL_MIME),
):
    ET.register_namespace(prefix, uri)

XSD_TYPES = {"int": "s:int", "boolean": "s:boolean", "string": "s:string"}


def _w(parent, tag, **attributes):
    return ET.SubElement(parent, f"{{{WSDL}}}{tag}", attributes)


def _s(parent, tag, **attributes):
    return ET.SubElement(parent, f"{{{XSD}}}{tag}", attributes)


def _any_result(parent, name: str) -> None:
    """An element holding any XML: how ASP.NET describes a method returning an XmlNode."""
    element = _s(parent, "element", minOccurs="0", maxOccurs="1", name=name)
    _s(_s(_s(element, "complexType", mixed="true"), "sequence"), "any")


def service_description(address: str) -> ET.Element:
    """The WSDL; `address` is the service's own absolute address (/mgWebService.asmx)."""
    root = ET.Element(f"{{{WSDL}}}definitions", targetNamespace=NAMESPACE)
    # ElementTree declares the namespaces that tags use; "tns:GetMeetingSoapIn" in attribute
    # values needs its own declared by hand.
    root.set("xmlns:tns", NAMESPACE)
    schema = _s(_w(root, "types"), "schema", elementFormDefault="qualified", targetNamespace=NAMESPACE)
    for method in METHODS.values():
        sequence = _s(_s(_s(schema, "element", name=method.name), "complexType"), "sequence")
        for param in method.params:
            optional = "0" if param.kind == "string" else "1"
            _s(sequence, "element", minOccurs=optional, maxOccurs="1", name=param.name, type=XSD_TYPES[param.kind])
        _any_result(_s(_s(schema, "element", name=f"{method.name}Response"), "complexType"), f"{method.name}Result")
    document_element = _s(schema, "element", name="XmlDocument", nillable="true")
    _s(_s(_s(document_element, "complexType", mixed="true"), "sequence"), "any")

    for method in METHODS.values():
        _w(_w(root, "message", name=f"{method.name}SoapIn"), "part", name="parameters", element=f"tns:{method.name}")
        _w(
            _w(root, "message", name=f"{method.name}SoapOut"),
            "part",
            name="parameters",
            element=f"tns:{method.name}Response",
        )
        for protocol in ("HttpGet", "HttpPost"):
            message = _w(root, "message", name=f"{method.name}{protocol}In")
            for param in method.params:
                _w(message, "part", name=param.name, type="s:string")
            _w(_w(root, "message", name=f"{method.name}{protocol}Out"), "part", name="Body", element="tns:XmlDocument")

    for suffix, kinds in (("Soap", ("SoapIn", "SoapOut")), ("HttpGet", ("HttpGetIn", "HttpGetOut")),
                          ("HttpPost", ("HttpPostIn", "HttpPostOut"))):  # fmt: skip
        port_type = _w(root, "portType", name=f"{SERVICE}{suffix}")
        for method in METHODS.values():
            operation = _w(port_type, "operation", name=method.name)
            _w(operation, "documentation").text = method.documentation
            _w(operation, "input", message=f"tns:{method.name}{kinds[0]}")
            _w(operation, "output", message=f"tns:{method.name}{kinds[1]}")

    for name, binding_ns in (("Soap", WSDL_SOAP), ("Soap12", WSDL_SOAP12)):
        binding = _w(root, "binding", name=f"{SERVICE}{name}", type=f"tns:{SERVICE}Soap")
        ET.SubElement(binding, f"{{{binding_ns}}}binding", transport="http://schemas.xmlsoap.org/soap/http")
        for method in METHODS.values():
            operation = _w(binding, "operation", name=method.name)
            ET.SubElement(
                operation, f"{{{binding_ns}}}operation", soapAction=f"{NAMESPACE}/{method.name}", style="document"
            )
            for direction in ("input", "output"):
                ET.SubElement(_w(operation, direction), f"{{{binding_ns}}}body", use="literal")

    for verb, protocol in (("GET", "HttpGet"), ("POST", "HttpPost")):
        binding = _w(root, "binding", name=f"{SERVICE}{protocol}", type=f"tns:{SERVICE}{protocol}")
        ET.SubElement(binding, f"{{{WSDL_HTTP}}}binding", verb=verb)
        for method in METHODS.values():
            operation = _w(binding, "operation", name=method.name)
            ET.SubElement(operation, f"{{{WSDL_HTTP}}}operation", location=f"/{method.name}")
            if verb == "GET":
                ET.SubElement(_w(operation, "input"), f"{{{WSDL_HTTP}}}urlEncoded")
            else:
                ET.SubElement(
                    _w(operation, "input"), f"{{{WSDL_MIME}}}content", type="application/x-www-form-urlencoded"
                )
            ET.SubElement(_w(operation, "output"), f"{{{WSDL_MIME}}}mimeXml", part="Body")

    service = _w(root, "service", name=SERVICE)
    for name, address_ns in (("Soap", WSDL_SOAP), ("Soap12", WSDL_SOAP12), ("HttpGet", WSDL_HTTP),
                             ("HttpPost", WSDL_HTTP)):  # fmt: skip
        port = _w(service, "port", name=f"{SERVICE}{name}", binding=f"tns:{SERVICE}{name}")
        ET.SubElement(port, f"{{{address_ns}}}address", location=address)
    return root
