"""Chart numbers (static/salesorg/numbers.js): exact ¥ in tooltips, 万/亿 on axes."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

import salesorg

SCRIPT = Path(salesorg.__file__).parent / "static" / "salesorg" / "numbers.js"
NODE = shutil.which("node")

pytestmark = pytest.mark.skipif(NODE is None, reason="needs node to run the chart script")


def run(expression: str):
    program = f"require({json.dumps(str(SCRIPT))}); const N = globalThis.SalesOrgNumbers;"
    program += f"process.stdout.write(JSON.stringify({expression}));"
    output = subprocess.run([NODE, "-e", program], capture_output=True, text=True, check=True)
    return json.loads(output.stdout)


def test_tooltips_show_the_exact_amount_with_yuan_and_grouping():
    assert run('N.formatter("amount", "zh-hans", "tooltip")(65508983.64)') == "¥65,508,983.64"
    assert run('N.money(-1234.5, "en")') == "-¥1,234.50"
    assert run('N.money(null, "zh-hans")') == "—"


def test_chinese_axes_use_wan_and_yi():
    assert run('N.formatter("amount", "zh-hans", "axis")(65508983.64)') == "¥6,550.90万"
    assert run('N.moneyShort(60000000, "zh-hans")') == "¥6,000万"
    assert run('N.moneyShort(176500000, "zh-hans")') == "¥1.77亿"
    assert run('N.moneyShort(5000, "zh-hans")') == "¥5,000"


def test_english_axes_use_k_and_m():
    assert run('N.moneyShort(65508983.64, "en")') == "¥65.51M"
    assert run('N.moneyShort(12500, "en")') == "¥12.50K"


def test_counts_and_rates_are_grouped_with_two_decimals_for_rates():
    assert run('N.formatter("count", "zh-hans", "axis")(25696)') == "25,696"
    assert run('N.formatter("percent", "zh-hans", "tooltip")(85.469)') == "85.47%"
    assert run('N.formatter("ratio", "en", "tooltip")([3, 2.281])') == "2.28"


def test_rate_axes_drop_the_zeros_of_round_ticks():
    assert run('N.formatter("percent", "zh-hans", "axis")(20)') == "20%"
    assert run('N.formatter("percent", "zh-hans", "axis")(12.5)') == "12.5%"
