"""The sales demo's catalogue: seven categories of industrial supplies with their products."""

from __future__ import annotations

from decimal import Decimal

from salesorg.core.money import quantize_cents
from salesorg.demo.records import ONE, SalesGenerator
from salesorg.sales.models import Category, Product

# (code, name, focus, products as (name, list price))
CATALOGUE = [
    (
        "CAT01",
        "自动化控制",
        True,
        [
            ("可编程控制器 HK-1200", "3800"),
            ("可编程控制器 HK-1500", "12800"),
            ("变频器 HV-7.5kW", "4200"),
            ("变频器 HV-22kW", "9800"),
            ("伺服驱动器套装 1kW", "6500"),
            ("触摸屏 HMI 10寸", "2600"),
        ],
    ),
    (
        "CAT02",
        "工业传感器",
        True,
        [
            ("光电传感器 PS-30", "280"),
            ("电感式接近开关 M18", "160"),
            ("压力变送器 PT-400", "1350"),
            ("温度变送器 TT-100", "980"),
            ("激光测距传感器 LD-50", "3200"),
            ("视觉检测相机 VC-5M", "15800"),
        ],
    ),
    (
        "CAT03",
        "低压电器",
        False,
        [
            ("塑壳断路器 250A", "860"),
            ("交流接触器 40A", "320"),
            ("中间继电器 24VDC", "45"),
            ("开关电源 24V 10A", "380"),
            ("低压配电柜（成套）", "26000"),
        ],
    ),
    (
        "CAT04",
        "流体与气动",
        False,
        [
            ("标准气缸 SC-63", "420"),
            ("二位五通电磁阀", "260"),
            ("过滤减压阀", "310"),
            ("不锈钢球阀 DN50", "720"),
            ("气动隔膜泵", "5600"),
        ],
    ),
    (
        "CAT05",
        "工业耗材",
        False,
        [
            ("工业齿轮油 18L", "680"),
            ("耐高温润滑脂 1kg", "150"),
            ("深沟球轴承 6205", "38"),
            ("机械密封件", "520"),
            ("聚氨酯同步带", "95"),
        ],
    ),
    (
        "CAT06",
        "安全防护",
        False,
        [
            ("安全光幕 SL-20", "2800"),
            ("防切割手套（打）", "180"),
            ("安全帽", "45"),
            ("急停按钮盒", "120"),
            ("安全继电器", "950"),
        ],
    ),
    (
        "CAT07",
        "技术服务",
        False,
        [
            ("安装调试服务（人天）", "2000"),
            ("年度维保合同", "36000"),
            ("操作培训课程", "8000"),
            ("产线改造方案设计", "50000"),
        ],
    ),
]


def catalogue_create(generator: SalesGenerator) -> list[tuple[Product, float]]:
    rng = generator.rng(2)
    categories = [Category(code=code, name=name, focus=focus) for code, name, focus, _ in CATALOGUE]
    generator.save(Category, categories, "categories")
    products: list[Product] = []
    weights: list[float] = []
    for category, (_, _, focus, items) in zip(categories, CATALOGUE, strict=True):
        for number, (name, price) in enumerate(items, start=1):
            list_price = Decimal(price)
            margin = Decimal(rng.randint(20, 45)) / 100
            products.append(
                Product(
                    code=f"SKU-{category.code[-2:]}{number:02d}",
                    name=name,
                    category=category,
                    list_price=list_price,
                    standard_cost=quantize_cents(list_price * (ONE - margin)),
                )
            )
            weight = 1.6 if focus else 1.0
            weights.append(weight * (0.4 if category.code == "CAT07" else 1.0))
    generator.save(Product, products, "products")
    return list(zip(products, weights, strict=True))
