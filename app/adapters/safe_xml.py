"""The one way XML from the network is parsed: defusedxml, with DTDs refused outright.

No protocol we read (CoT, ONVIF SOAP) needs a document type declaration, and a DTD is where
every XML attack lives: entity expansion bombs ("billion laughs"), external entities that
read local files or reach other hosts (XXE), external DTDs. The parser refuses them wherever
they stand in the document (a string search only looks where it was told to look). Pure:
bytes in, an element or `XmlRefused` with the reason in plain words out.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import fromstring as _defused_fromstring


class XmlRefused(ValueError):
    """A document that is not well-formed, or carries a DTD, entities or external
    references; the message says which, for the rejection counter and the log."""


def parse_xml(data: bytes, what: str = "XML") -> ET.Element:
    """`data` parsed into its root element, or `XmlRefused` saying why not."""
    try:
        root: ET.Element = _defused_fromstring(data, forbid_dtd=True, forbid_entities=True,
                                               forbid_external=True)
    except DTDForbidden:
        raise XmlRefused(f"{what} carries a document type declaration (DTD): refused, "
                         "it could hold an entity bomb or an external reference") from None
    except EntitiesForbidden:
        raise XmlRefused(f"{what} declares entities: refused") from None
    except ExternalReferenceForbidden:
        raise XmlRefused(f"{what} references an external resource: refused") from None
    except (ET.ParseError, ValueError, LookupError, UnicodeError) as exc:
        raise XmlRefused(f"{what} is not well-formed XML ({_short(exc)})") from None
    return root


def _short(exc: BaseException) -> str:
    text = str(exc)
    return text if len(text) <= 120 else text[:117] + "..."
