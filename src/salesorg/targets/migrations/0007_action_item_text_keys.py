"""Action items the system wrote keep a message key with parameters, not a sentence.

Existing follow-ups of a key stakeholder who left were stored as sentences in the language of
whoever triggered them (English or Chinese); they are recognised here and converted to keys,
so they read in each reader's language. Titles typed by people are left as they are.
"""

import re

from django.db import migrations, models

TITLE_KEY = "customers.stakeholder_left.title"
LEFT_KEY = "customers.stakeholder_left.detail"
REPLACED_KEY = "customers.stakeholder_replaced.detail"

# The sentences as they were written before this migration (the English source and the
# zh-Hans catalogue of that time).
TITLES = (
    re.compile(r"^Follow up: key stakeholder (?P<name>.+) left (?P<customer>.+)$"),
    re.compile(r"^跟进：(?P<customer>.+) 的关键人 (?P<name>.+) 已离开$"),
)
DETAILS = (
    (
        LEFT_KEY,
        re.compile(
            r"^(?P<name>.+) \((?P<role>[^()]+)\) left on (?P<date>[\d-]*)\. Find out who takes "
            r"over the decision and secure the relationship\.$"
        ),
    ),
    (
        REPLACED_KEY,
        re.compile(
            r"^(?P<name>.+) \((?P<role>[^()]+)\) was replaced by (?P<successor>.+) on "
            r"(?P<date>[\d-]*)\. Meet the new stakeholder, learn their needs and agree our "
            r"response\.$"
        ),
    ),
    (
        LEFT_KEY,
        re.compile(
            r"^(?P<name>.+)（(?P<role>[^（）]+)）已于 (?P<date>[\d-]*) 离开。"
            r"请了解由谁接手决策，并稳固客户关系。$"
        ),
    ),
    (
        REPLACED_KEY,
        re.compile(
            r"^(?P<name>.+)（(?P<role>[^（）]+)）已于 (?P<date>[\d-]*) 由 (?P<successor>.+) "
            r"接替。请拜访新的关键人，了解其需求并商定我方的应对。$"
        ),
    ),
)
# A buying role's label (either language, old and new catalogue) → its code.
ROLE_CODES = {
    "key stakeholder": "",
    "关键人": "",
    "Decision maker": "decision_maker",
    "决策者": "decision_maker",
    "决策人": "decision_maker",
    "Influencer": "influencer",
    "影响者": "influencer",
    "User": "user",
    "使用者": "user",
    "Gatekeeper": "gatekeeper",
    "把关者": "gatekeeper",
    "Other": "other",
    "其他": "other",
}


def stakeholder_text_keys(title: str, detail: str) -> dict | None:
    """The key fields of a stakeholder follow-up written as sentences (None if not one)."""
    title_match = next((m for m in (p.match(title.strip()) for p in TITLES) if m), None)
    if title_match is None:
        return None
    params = {"name": title_match["name"], "customer": title_match["customer"]}
    converted = {"title_key": TITLE_KEY, "detail_key": "", "text_params": params}
    for key, pattern in DETAILS:
        match = pattern.match(detail.strip())
        if match is None or match["role"] not in ROLE_CODES:
            continue
        params.update(
            role=ROLE_CODES[match["role"]],
            date=match["date"],
            **({"successor": match["successor"]} if key == REPLACED_KEY else {}),
        )
        converted["detail_key"] = key
        break
    return converted


def convert_follow_ups(apps, schema_editor):
    ActionItem = apps.get_model("targets", "ActionItem")
    items = ActionItem.objects.filter(origin="stakeholder", title_key="")
    for item in items.only("id", "title", "detail").iterator():
        converted = stakeholder_text_keys(item.title, item.detail)
        if converted is not None:
            ActionItem.objects.filter(pk=item.pk).update(**converted)


class Migration(migrations.Migration):
    dependencies = [
        ("targets", "0006_audit_ip"),
    ]

    operations = [
        migrations.AddField(
            model_name="actionitem",
            name="detail_key",
            field=models.CharField(
                blank=True, editable=False, max_length=80, verbose_name="detail key"
            ),
        ),
        migrations.AddField(
            model_name="actionitem",
            name="text_params",
            field=models.JSONField(
                blank=True, default=dict, editable=False, verbose_name="text parameters"
            ),
        ),
        migrations.AddField(
            model_name="actionitem",
            name="title_key",
            field=models.CharField(
                blank=True, editable=False, max_length=80, verbose_name="title key"
            ),
        ),
        migrations.AddField(
            model_name="historicalactionitem",
            name="detail_key",
            field=models.CharField(
                blank=True, editable=False, max_length=80, verbose_name="detail key"
            ),
        ),
        migrations.AddField(
            model_name="historicalactionitem",
            name="text_params",
            field=models.JSONField(
                blank=True, default=dict, editable=False, verbose_name="text parameters"
            ),
        ),
        migrations.AddField(
            model_name="historicalactionitem",
            name="title_key",
            field=models.CharField(
                blank=True, editable=False, max_length=80, verbose_name="title key"
            ),
        ),
        migrations.RunPython(convert_follow_ups, migrations.RunPython.noop),
    ]
