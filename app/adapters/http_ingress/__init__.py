"""The one HTTP receiver of every webhook ingress (generic webhook, body-cam cloud):
authentication required, optional TLS, bounded, every refusal counted."""

from app.adapters.http_ingress.auth import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    BearerAuth,
    HmacAuth,
    Refusal,
    sign,
    signed_headers,
)
from app.adapters.http_ingress.connections import TlsFilesError, tls_context
from app.adapters.http_ingress.receiver import Answer, Delivery, Receiver

__all__ = ["SIGNATURE_HEADER", "TIMESTAMP_HEADER", "Answer", "BearerAuth", "Delivery",
           "HmacAuth", "Receiver", "Refusal", "TlsFilesError", "sign", "signed_headers",
           "tls_context"]
