"""Generic signed-JSON webhook for sound sensors, LPR systems and citizen-report apps."""

from app.adapters.webhook.adapter import WebhookAdapter, WebhookConfig

__all__ = ["WebhookAdapter", "WebhookConfig"]
