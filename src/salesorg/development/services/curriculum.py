"""The onboarding curriculum (入职基本培训) that ships with the system, and a few courses for
targeted training: texts in the seed's language, each with a short quiz.

`curriculum_install()` creates the materials that do not exist yet (by code), so it can
run on a live system as well as in the demo.
"""

from __future__ import annotations

from django.db import transaction

from salesorg.development.models import Level, Material, QuizOption, QuizQuestion, Topic

# (code, topic, title, minutes, body, [(question, [(option, correct), ...]), ...])
ONBOARDING = [
    (
        "ONB-01",
        Topic.ORG_STRUCTURE,
        "公司组织结构",
        20,
        "# 我们的销售组织\n"
        "公司销售组织分为 **销售总监 → 大区经理 → 销售经理 → 销售代表** 四级。\n\n"
        "- 每个大区由大区经理负责，下设若干销售小组；\n"
        "- 每个小组由一名销售经理带领，组员为销售代表；\n"
        "- 财务部负责应收账款与回款，培训/人事负责入职培训与人员档案。\n\n"
        "下方是系统中实时的组织结构：你的上级就是审批时的下一级。",
        [
            (
                "销售代表的直接上级是谁？",
                [("销售经理", True), ("财务", False), ("培训专员", False)],
            ),
            (
                "谁负责应收账款的回款记录？",
                [("财务部", True), ("培训/人事", False), ("客户", False)],
            ),
        ],
    ),
    (
        "ONB-02",
        Topic.POSITION_DUTIES,
        "岗位职责",
        15,
        "# 你的岗位职责\n"
        "每个岗位都有书面的岗位职责。请逐条阅读下方你所在岗位的职责，"
        "有疑问时在一对一沟通中向上级提出。\n\n"
        "**记住：** 职责是考核与辅导的共同基础。",
        [
            (
                "对岗位职责有疑问时应该怎么做？",
                [("在一对一沟通中向上级提出", True), ("自行忽略", False)],
            ),
            ("岗位职责是什么的共同基础？", [("考核与辅导", True), ("报销", False)]),
        ],
    ),
    (
        "ONB-03",
        Topic.MARKET_OUTLINE,
        "市场概况",
        25,
        "# 市场概况\n"
        "- 我们的客户主要分布在各大区的重点城市；\n"
        "- 主要竞争对手以价格和渠道见长，我们以服务和产品质量取胜；\n"
        "- 市场调查（市场调查）是制定公司目标的起点。\n\n"
        "拜访时留意竞争对手的动向，并在拜访记录中写下来。",
        [
            (
                "公司目标的起点是什么？",
                [("市场调查", True), ("报销制度", False), ("个人喜好", False)],
            ),
            (
                "我们相对竞争对手的优势是？（多选）",
                [("服务", True), ("产品质量", True), ("最低价格", False)],
            ),
        ],
    ),
    (
        "ONB-04",
        Topic.GOALS,
        "公司长期与短期目标",
        15,
        "# 长期与短期目标\n"
        "公司目标来自市场调查，再分解为年度销售规划。"
        "目标是 **循序渐进** 的：每年的新目标建立在上一年的基础上，"
        "每个季度、每个月分担年度目标的一部分。",
        [
            (
                "目标应当如何设定？",
                [("循序渐进，逐年递进", True), ("每年随意设定", False)],
            ),
            (
                "年度目标会分解到哪些时间段？（多选）",
                [("季度", True), ("月份", True), ("十年", False)],
            ),
        ],
    ),
    (
        "ONB-05",
        Topic.SALES_PLAN,
        "销售规划",
        20,
        "# 销售规划\n"
        "销售规划把公司目标变成可执行的计划：目标加上达成目标的措施。"
        "日常管理按 **计划 → 检查 → 找问题与原因 → 改进** 循环进行，"
        "经验与教训最终形成标准和制度。",
        [
            (
                "日常管理的循环顺序是？",
                [("计划、检查、找原因、改进", True), ("改进、计划、检查", False)],
            ),
            ("经验与教训最终形成什么？", [("标准和制度", True), ("个人笔记", False)]),
        ],
    ),
    (
        "ONB-06",
        Topic.SALES_TARGETS,
        "销售目标",
        20,
        "# 销售目标\n"
        "每个目标有两个范围：**现实目标** 与 **理想目标**。"
        "日常目标包括完成销售额、费用控制在预算之内、增加潜在客户。\n\n"
        "设定目标时回答：年底想要什么结果？有哪些障碍？本季度未达成会对最终目标产生什么影响？",
        [
            (
                "每个目标有哪两个范围？（多选）",
                [("现实目标", True), ("理想目标", True), ("最低目标", False)],
            ),
            (
                "以下哪项属于日常目标？",
                [("费用控制在预算之内", True), ("减少客户数量", False)],
            ),
        ],
    ),
    (
        "ONB-07",
        Topic.SELLING_SKILLS,
        "必要的销售技巧",
        30,
        "# 必要的销售技巧\n"
        "1. 拜访前准备：明确拜访目的，了解客户历史；\n"
        "2. 开场：建立信任；\n"
        "3. 需求挖掘：多问开放式问题；\n"
        "4. 产品介绍：把功能转化为客户利益；\n"
        "5. 处理异议：先倾听，再回应；\n"
        "6. 促成：明确提出下一步；\n"
        "7. 跟进：按约定时间回访并记录。",
        [
            ("拜访前最重要的是？", [("明确拜访目的", True), ("直接报价", False)]),
            (
                "处理异议的正确做法是？",
                [("先倾听，再回应", True), ("立即反驳", False), ("忽略", False)],
            ),
        ],
    ),
    (
        "ONB-08",
        Topic.COMMUNICATION,
        "沟通与协调方法",
        15,
        "# 沟通与协调\n"
        "- 与上级：定期一对一沟通，汇报进展与困难；\n"
        "- 与同事：共享客户信息，避免撞单；\n"
        "- 与财务：及时提供回款信息。\n\n"
        "好的沟通让管理者与员工之间保持良好、有效的交流。",
        [
            (
                "与上级沟通的主要方式是？",
                [("定期一对一沟通", True), ("只在年底沟通", False)],
            ),
            ("与同事共享客户信息是为了？", [("避免撞单", True), ("增加费用", False)]),
        ],
    ),
    (
        "ONB-09",
        Topic.PROBLEM_HANDLING,
        "问题处理方法",
        15,
        "# 问题处理\n"
        "遇到问题时：**描述问题 → 找真正的原因 → 制定对策 → "
        "落实到行动项（负责人与期限）→ 跟踪检查**。"
        "未达成目标的原因在销售会议上分析。",
        [
            (
                "对策最终要落实为什么？",
                [("有负责人和期限的行动项", True), ("一句口号", False)],
            ),
            ("未达成目标的原因在哪里分析？", [("销售会议", True), ("私下聊天", False)]),
        ],
    ),
    (
        "ONB-10",
        Topic.REWARDS_PENALTIES,
        "奖惩制度",
        10,
        "# 奖惩制度\n"
        "业绩评估以公司的 **激励政策** 为定量依据："
        "销售目标达成率、毛利目标达成率、应收账款回收率、每天平均访问户数等指标。"
        "表现突出者获得表扬与奖励；持续达不到要求者经培训后仍不改进将被辞退。",
        [
            ("定量评估的依据是？", [("激励政策", True), ("个人印象", False)]),
            (
                "以下哪些是评估指标？（多选）",
                [("应收账款回收率", True), ("销售目标达成率", True), ("午餐时长", False)],
            ),
        ],
    ),
    (
        "ONB-11",
        Topic.PAY_BENEFITS,
        "薪酬与福利",
        10,
        "# 薪酬与福利\n"
        "薪酬由基本工资与绩效奖金组成，奖金按激励政策的评分档位计算。"
        "福利包括社会保险、住房公积金、带薪年假与培训机会。",
        [
            (
                "绩效奖金按什么计算？",
                [("激励政策的评分档位", True), ("工龄", False)],
            ),
            (
                "以下哪些属于福利？（多选）",
                [("带薪年假", True), ("培训机会", True), ("无限报销", False)],
            ),
        ],
    ),
]

COURSES = [
    (
        "CRS-COLLECT",
        Topic.COLLECTIONS,
        "应收账款回收",
        25,
        Level.INTERMEDIATE,
        "# 应收账款回收\n- 开票后按约定账期跟踪；\n- 逾期第一天就联系客户；\n"
        "- 记录每次催收的结果与下一步。\n\n回款率低于 80% 时应优先学习本课程。",
        [("逾期后何时联系客户？", [("逾期第一天", True), ("一个月后", False)])],
    ),
    (
        "CRS-TERRITORY",
        Topic.TERRITORY_PLANNING,
        "区域与拜访路线规划",
        20,
        Level.INTERMEDIATE,
        "# 区域规划\n按客户价值分级，规划每周拜访路线，提高每天平均访问户数。",
        [("规划路线的目的是？", [("提高每天平均访问户数", True), ("减少拜访", False)])],
    ),
    (
        "CRS-PRODUCT",
        Topic.PRODUCT_KNOWLEDGE,
        "产品知识",
        30,
        Level.BASIC,
        "# 产品知识\n熟悉每个产品类别的卖点、价格区间与重点产品，合理安排产品比例。",
        [("介绍产品时应强调？", [("客户利益", True), ("只讲参数", False)])],
    ),
    (
        "CRS-COMM",
        Topic.COMMUNICATION,
        "沟通能力提升",
        25,
        Level.ADVANCED,
        "# 沟通能力提升\n倾听、提问、确认三步法；在联合拜访中由上级示范与点评。",
        [("沟通三步法包括？（多选）", [("倾听", True), ("提问", True), ("打断", False)])],
    ),
]


@transaction.atomic
def curriculum_install() -> list[Material]:
    """Create the onboarding curriculum and the standard courses that are missing."""
    existing = set(Material.objects.values_list("code", flat=True))
    created: list[Material] = []
    specs = [
        (code, topic, title, minutes, Level.BASIC, body, quiz, order)
        for order, (code, topic, title, minutes, body, quiz) in enumerate(ONBOARDING, start=1)
    ] + [
        (code, topic, title, minutes, level, body, quiz, 0)
        for code, topic, title, minutes, level, body, quiz in COURSES
    ]
    for code, topic, title, minutes, level, body, quiz, order in specs:
        if code in existing:
            continue
        material = Material.objects.create(
            code=code,
            title=title,
            topic=topic,
            level=level,
            body=body,
            estimated_minutes=minutes,
            is_onboarding=order > 0,
            onboarding_order=order,
            pass_mark=80,
        )
        for number, (text, options) in enumerate(quiz, start=1):
            question = QuizQuestion.objects.create(material=material, number=number, text=text)
            QuizOption.objects.bulk_create(
                QuizOption(question=question, text=option, is_correct=correct)
                for option, correct in options
            )
        created.append(material)
    return created
