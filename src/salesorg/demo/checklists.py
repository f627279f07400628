"""Demo visit purposes with the checklists of the standard sales process (SPEC §3, S2), in
both languages."""

from __future__ import annotations

from django.db import transaction

from salesorg.sales.models import ChecklistStep, VisitPurpose

# (code, name, English name, [(step, English step, required), ...])
DEMO_PURPOSES = [
    (
        "FIRST",
        "初次拜访",
        "First visit",
        [
            ("确认客户基本信息与决策人", "Confirm the customer's details and decision maker", True),
            ("了解客户需求与痛点", "Learn the customer's needs and pain points", True),
            ("介绍公司与主要产品", "Present the company and its main products", True),
            ("约定下次拜访时间", "Agree the time of the next visit", False),
        ],
    ),
    (
        "PRODUCT",
        "产品介绍",
        "Product presentation",
        [
            ("演示重点产品", "Demonstrate the focus products", True),
            ("说明价格与付款条件", "Explain prices and payment terms", True),
            ("记录客户异议并回应", "Note the customer's objections and answer them", True),
            ("留下资料与样品", "Leave brochures and samples", False),
        ],
    ),
    (
        "COLLECT",
        "回款跟进",
        "Collection follow-up",
        [
            ("核对应收账款与发票", "Reconcile receivables and invoices", True),
            ("确认付款日期与金额", "Confirm the payment date and amount", True),
            ("了解延迟付款原因", "Find out why payment is late", False),
            ("请客户签字确认对账单", "Have the customer sign the statement", False),
        ],
    ),
    (
        "ROUTINE",
        "例行拜访",
        "Routine visit",
        [
            ("确认上次拜访的跟进事项", "Check the follow-ups of the last visit", True),
            ("了解近期生产与采购计划", "Learn the coming production and purchase plans", True),
            ("了解竞争对手动态", "Learn what competitors are doing", False),
        ],
    ),
    (
        "NEGOTIATE",
        "商务谈判",
        "Negotiation",
        [
            ("确认决策人参加", "Make sure the decision maker takes part", True),
            ("明确报价与让步底线", "Set the price and the limit of concessions", True),
            ("记录双方分歧与共识", "Note where the sides differ and agree", True),
            ("约定下一步时间表", "Agree the timetable of the next steps", False),
        ],
    ),
    (
        "SERVICE",
        "售后服务",
        "After-sales service",
        [
            ("了解产品使用情况", "Learn how the products are used", True),
            ("处理客户投诉或问题", "Handle complaints or problems", True),
            ("询问满意度", "Ask about satisfaction", True),
            ("发现新的需求", "Discover new needs", False),
        ],
    ),
]


@transaction.atomic
def visit_purposes_create() -> list[VisitPurpose]:
    """Create (or update) the demo visit purposes and their checklists; safe to run twice."""
    purposes = []
    for code, name, name_en, steps in DEMO_PURPOSES:
        purpose, _created = VisitPurpose.objects.update_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "active": True}
        )
        for position, (text, text_en, required) in enumerate(steps, start=1):
            ChecklistStep.objects.update_or_create(
                purpose=purpose,
                position=position,
                defaults={"text": text, "text_en": text_en, "required": required},
            )
        purposes.append(purpose)
    return purposes
