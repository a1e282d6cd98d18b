"""Payment adapters for household fees (SVC-13): one interface, several providers.

A resident pays a bill on the phone through the configured adapter (setting
`COURTYARD_PAYMENT_BACKEND`, default the console backend). The adapter says whether the money arrived
and gives the provider's transaction reference; `services.fees.record_payment` then books the income on
the plan's ledger account and issues the receipt. Staff record cash and transfers at the office without
any adapter (method "console").

* `ConsolePaymentBackend` — implemented. Like Django's console e-mail backend: for development, the
  demo and tests. It confirms at once, writes one log line and returns a reference `CON-<uuid>`.
* `WeChatPayBackend`, `BankBackend` — the same interface, **not implemented**. A real provider is
  asynchronous: `start()` returns `confirmed=False` and a `redirect_url` (WeChat Pay JSAPI / 银联
  gateway); the provider later calls a notification URL, whose view verifies the signature, then calls
  `services.fees.record_payment(..., method=..., adapter_ref=<provider id>)` once — the receipt number
  is unique, so a repeated notification books nothing twice. See docs/fees.md.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger("courtyard.payments")


@dataclass(frozen=True)
class PaymentResult:
    confirmed: bool
    reference: str
    redirect_url: str = ""


class PaymentBackend:
    method = ""

    def start(self, *, bill, amount_fen: int, payer) -> PaymentResult:  # pragma: no cover - interface
        raise NotImplementedError


class ConsolePaymentBackend(PaymentBackend):
    """Confirms at once (development, demo, tests); the log line stands for the provider's record."""

    method = "online"

    def start(self, *, bill, amount_fen: int, payer) -> PaymentResult:
        reference = f"CON-{uuid.uuid4().hex[:16]}"
        log.info("console payment %s: bill %s, %s fen", reference, bill.pk, amount_fen)
        return PaymentResult(confirmed=True, reference=reference)


class WeChatPayBackend(PaymentBackend):
    """WeChat Pay (JSAPI): not implemented — needs the merchant id, API v3 key and certificate."""

    method = "wechat"

    def start(self, *, bill, amount_fen: int, payer) -> PaymentResult:
        raise NotImplementedError("WeChat Pay is not configured on this installation")


class BankBackend(PaymentBackend):
    """A bank's payment gateway: not implemented."""

    method = "bank"

    def start(self, *, bill, amount_fen: int, payer) -> PaymentResult:
        raise NotImplementedError("No bank gateway is configured on this installation")


def get_backend() -> PaymentBackend:
    path = getattr(settings, "COURTYARD_PAYMENT_BACKEND", "courtyard.funds.payments.ConsolePaymentBackend")
    return import_string(path)()
