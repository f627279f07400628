"""Visit purposes and checklist steps in both languages (name_en, text_en).

The shipped demo's purposes and steps were written in Chinese only; rows with exactly the
demo's Chinese get its English, so an English reader sees English. Other rows (typed by the
company) keep their Chinese until someone adds the English.
"""

from django.db import migrations, models

# The demo's purposes and steps as shipped before this migration (sales/demo_checklists.py).
PURPOSE_NAMES = {
    "初次拜访": "First visit",
    "产品介绍": "Product presentation",
    "回款跟进": "Collection follow-up",
    "售后服务": "After-sales service",
}
STEP_TEXTS = {
    "确认客户基本信息与决策人": "Confirm the customer's details and decision maker",
    "了解客户需求与痛点": "Learn the customer's needs and pain points",
    "介绍公司与主要产品": "Present the company and its main products",
    "约定下次拜访时间": "Agree the time of the next visit",
    "演示重点产品": "Demonstrate the focus products",
    "说明价格与付款条件": "Explain prices and payment terms",
    "记录客户异议并回应": "Note the customer's objections and answer them",
    "留下资料与样品": "Leave brochures and samples",
    "核对应收账款与发票": "Reconcile receivables and invoices",
    "确认付款日期与金额": "Confirm the payment date and amount",
    "了解延迟付款原因": "Find out why payment is late",
    "请客户签字确认对账单": "Have the customer sign the statement",
    "了解产品使用情况": "Learn how the products are used",
    "处理客户投诉或问题": "Handle complaints or problems",
    "询问满意度": "Ask about satisfaction",
    "发现新的需求": "Discover new needs",
}


def add_demo_english(apps, schema_editor):
    VisitPurpose = apps.get_model("sales", "VisitPurpose")
    ChecklistStep = apps.get_model("sales", "ChecklistStep")
    for name, name_en in PURPOSE_NAMES.items():
        VisitPurpose.objects.filter(name=name, name_en="").update(name_en=name_en)
    for text, text_en in STEP_TEXTS.items():
        ChecklistStep.objects.filter(text=text, text_en="").update(text_en=text_en)


class Migration(migrations.Migration):
    dependencies = [
        ("sales", "0006_fact_history_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="checkliststep",
            name="text_en",
            field=models.CharField(blank=True, max_length=200, verbose_name="step in English"),
        ),
        migrations.AddField(
            model_name="historicalcheckliststep",
            name="text_en",
            field=models.CharField(blank=True, max_length=200, verbose_name="step in English"),
        ),
        migrations.AddField(
            model_name="historicalvisitpurpose",
            name="name_en",
            field=models.CharField(blank=True, max_length=100, verbose_name="name in English"),
        ),
        migrations.AddField(
            model_name="visitpurpose",
            name="name_en",
            field=models.CharField(blank=True, max_length=100, verbose_name="name in English"),
        ),
        migrations.RunPython(add_demo_english, migrations.RunPython.noop),
    ]
