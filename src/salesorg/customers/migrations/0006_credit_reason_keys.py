"""Credit approvals keep why an order is held as message keys with parameters.

Existing approvals stored their reasons as sentences in the language of whoever entered the
order; the sentences are recognised here (English and zh-Hans) and converted to keys, so
each reader sees them in their own language. Reasons not recognised are left as written.
"""

import re
from decimal import Decimal

from django.db import migrations, models

MONEY = r"-?(?:¥|CNY )?[\d,]+(?:\.\d+)?"
# The sentences as credit control wrote them before this migration.
REASONS = (
    (
        "customers.credit.limit_exceeded",
        re.compile(
            rf"^Open receivables (?P<open>{MONEY}) plus this order (?P<amount>{MONEY}) exceed "
            rf"the credit limit (?P<limit>{MONEY})\.$"
        ),
    ),
    (
        "customers.credit.limit_exceeded",
        re.compile(
            rf"^未收应收款 (?P<open>{MONEY}) 加本订单 (?P<amount>{MONEY}) 超过信用额度 "
            rf"(?P<limit>{MONEY})。$"
        ),
    ),
    (
        "customers.credit.overdue",
        re.compile(
            rf"^The customer has (?P<amount>{MONEY}) of invoices more than (?P<days>\d+) days "
            r"overdue\.$"
        ),
    ),
    (
        "customers.credit.overdue",
        re.compile(rf"^该客户有 (?P<amount>{MONEY}) 的发票逾期超过 (?P<days>\d+) 天。$"),
    ),
)


def _amount(text: str) -> str:
    return str(Decimal(text.replace("¥", "").replace("CNY ", "").replace(",", "")))


def credit_reason_keys_of(reasons: str) -> list[dict] | None:
    """The stored reasons of sentences written by credit control (None if one is not)."""
    converted = []
    for line in (line.strip() for line in reasons.splitlines()):
        if not line:
            continue
        for key, pattern in REASONS:
            match = pattern.match(line)
            if match:
                params = {
                    name: value if name == "days" else _amount(value)
                    for name, value in match.groupdict().items()
                }
                if "days" in params:
                    params["days"] = int(params["days"])
                converted.append({"key": key, "params": params})
                break
        else:
            return None
    return converted or None


def convert_reasons(apps, schema_editor):
    CreditApproval = apps.get_model("customers", "CreditApproval")
    for approval in CreditApproval.objects.only("id", "reasons").iterator():
        converted = credit_reason_keys_of(approval.reasons)
        if converted is not None:
            CreditApproval.objects.filter(pk=approval.pk).update(reason_keys=converted)


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0005_audit_ip"),
    ]

    operations = [
        migrations.AddField(
            model_name="creditapproval",
            name="reason_keys",
            field=models.JSONField(
                blank=True, default=list, editable=False, verbose_name="reason keys"
            ),
        ),
        migrations.AddField(
            model_name="historicalcreditapproval",
            name="reason_keys",
            field=models.JSONField(
                blank=True, default=list, editable=False, verbose_name="reason keys"
            ),
        ),
        migrations.RunPython(convert_reasons, migrations.RunPython.noop),
    ]
