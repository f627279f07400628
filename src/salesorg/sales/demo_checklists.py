"""Demo visit purposes with the checklists of the standard sales process (SPEC §3, S2)."""

from __future__ import annotations

from django.db import transaction

from salesorg.sales.models import ChecklistStep, VisitPurpose

# (code, name, [(step, required), ...])
DEMO_PURPOSES = [
    (
        "FIRST",
        "初次拜访",
        [
            ("确认客户基本信息与决策人", True),
            ("了解客户需求与痛点", True),
            ("介绍公司与主要产品", True),
            ("约定下次拜访时间", False),
        ],
    ),
    (
        "PRODUCT",
        "产品介绍",
        [
            ("演示重点产品", True),
            ("说明价格与付款条件", True),
            ("记录客户异议并回应", True),
            ("留下资料与样品", False),
        ],
    ),
    (
        "COLLECT",
        "回款跟进",
        [
            ("核对应收账款与发票", True),
            ("确认付款日期与金额", True),
            ("了解延迟付款原因", False),
            ("请客户签字确认对账单", False),
        ],
    ),
    (
        "SERVICE",
        "售后服务",
        [
            ("了解产品使用情况", True),
            ("处理客户投诉或问题", True),
            ("询问满意度", True),
            ("发现新的需求", False),
        ],
    ),
]


@transaction.atomic
def visit_purposes_create() -> list[VisitPurpose]:
    """Create (or update) the demo visit purposes and their checklists; safe to run twice."""
    purposes = []
    for code, name, steps in DEMO_PURPOSES:
        purpose, _created = VisitPurpose.objects.update_or_create(
            code=code, defaults={"name": name, "active": True}
        )
        for position, (text, required) in enumerate(steps, start=1):
            ChecklistStep.objects.update_or_create(
                purpose=purpose, position=position, defaults={"text": text, "required": required}
            )
        purposes.append(purpose)
    return purposes
