"""Training assignments keep a reason the system writes as a message key with parameters.

Assignments made by accepting a targeted-training proposal stored the reason as a sentence
in the language of whoever accepted it; they are found through their proposal and
converted, so each reader sees the reason in their own language. Reasons typed by people
are left as they are.
"""

from django.db import migrations, models

TARGETED_KEY = "development.targeted_training"
# How the old sentences began (the English source and the zh-Hans catalogue of the time).
TARGETED_PREFIXES = ("Targeted training:", "针对性培训：")


def targeted_reason_params(proposal) -> dict:
    """The stored parameters of a proposal's reason (as `targeted.rule_parts` builds them)."""
    rule = proposal.rule
    return {
        "rule": {
            "source": rule.source,
            "indicator": rule.indicator,
            "criterion": rule.criterion_code,
            "comparison": rule.comparison,
            "threshold": format(rule.threshold.normalize(), "f"),
        },
        "start": proposal.period_start.isoformat(),
        "end": proposal.period_end.isoformat(),
    }


def convert_targeted_reasons(apps, schema_editor):
    Assignment = apps.get_model("development", "Assignment")
    TrainingProposal = apps.get_model("development", "TrainingProposal")
    proposals = TrainingProposal.objects.filter(
        assignment__isnull=False, assignment__reason_key=""
    ).select_related("rule", "assignment")
    for proposal in proposals.iterator():
        if proposal.assignment.reason.startswith(TARGETED_PREFIXES):
            Assignment.objects.filter(pk=proposal.assignment_id).update(
                reason_key=TARGETED_KEY, reason_params=targeted_reason_params(proposal)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("development", "0003_audit_ip"),
    ]

    operations = [
        migrations.AddField(
            model_name="assignment",
            name="reason_key",
            field=models.CharField(
                blank=True, editable=False, max_length=80, verbose_name="reason key"
            ),
        ),
        migrations.AddField(
            model_name="assignment",
            name="reason_params",
            field=models.JSONField(
                blank=True, default=dict, editable=False, verbose_name="reason parameters"
            ),
        ),
        migrations.AddField(
            model_name="historicalassignment",
            name="reason_key",
            field=models.CharField(
                blank=True, editable=False, max_length=80, verbose_name="reason key"
            ),
        ),
        migrations.AddField(
            model_name="historicalassignment",
            name="reason_params",
            field=models.JSONField(
                blank=True, default=dict, editable=False, verbose_name="reason parameters"
            ),
        ),
        migrations.RunPython(convert_targeted_reasons, migrations.RunPython.noop),
    ]
