"""Pipeline stages and steps in both languages (name_en, text_en).

The shipped demo's stages and steps were written in Chinese only; rows with exactly the
demo's Chinese get its English. Rows the company typed keep their Chinese until someone adds
the English.
"""

from django.db import migrations, models

# The demo's stages and steps as shipped before this migration (customers/demo_credit.py).
STAGE_NAMES = {
    "接触与需求调研": "Contact and needs research",
    "方案与报价": "Proposal and quotation",
    "试用与谈判": "Trial and negotiation",
    "签约": "Contract",
}
STEP_TEXTS = {
    "拜访决策人": "Visit the decision maker",
    "了解采购流程和预算": "Learn the purchasing process and budget",
    "寄送产品资料": "Send product information",
    "提交技术方案": "Submit the technical proposal",
    "提交报价": "Submit the quotation",
    "安排样品试用": "Arrange a sample trial",
    "商务谈判": "Negotiate the terms",
    "联合拜访": "Joint visit",
    "签订合同": "Sign the contract",
}


def add_demo_english(apps, schema_editor):
    PipelineStage = apps.get_model("customers", "PipelineStage")
    PipelineStep = apps.get_model("customers", "PipelineStep")
    for name, name_en in STAGE_NAMES.items():
        PipelineStage.objects.filter(name=name, name_en="").update(name_en=name_en)
    for text, text_en in STEP_TEXTS.items():
        PipelineStep.objects.filter(text=text, text_en="").update(text_en=text_en)


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0006_credit_reason_keys"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalpipelinestage",
            name="name_en",
            field=models.CharField(blank=True, max_length=100, verbose_name="name in English"),
        ),
        migrations.AddField(
            model_name="historicalpipelinestep",
            name="text_en",
            field=models.CharField(blank=True, max_length=200, verbose_name="step in English"),
        ),
        migrations.AddField(
            model_name="pipelinestage",
            name="name_en",
            field=models.CharField(blank=True, max_length=100, verbose_name="name in English"),
        ),
        migrations.AddField(
            model_name="pipelinestep",
            name="text_en",
            field=models.CharField(blank=True, max_length=200, verbose_name="step in English"),
        ),
        migrations.RunPython(add_demo_english, migrations.RunPython.noop),
    ]
