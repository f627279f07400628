"""Import problems name the very line and column at fault, on both databases and both paths
(#21 F6, F11)."""

import pytest

from salesorg.interchange.importer import interchange_import
from tests.interchange.helpers import import_sample, sample_folder, snapshot
from tests.interchange.sample import SAMPLE, write_folder

pytestmark = pytest.mark.django_db

PAYMENTS = "code,invoice_code,payment_date,amount\n"


def _places(result) -> list[tuple]:
    return [(p.file, p.line, p.column) for p in result.problems]


@pytest.mark.parametrize(
    ("name", "old", "new", "line", "column"),
    [
        ("customers", "康达诊所", "康达\x00诊所", 3, "name"),  # the Python path everywhere
        ("visits", "设备维护", "设备\x00维护", 5, "purpose"),  # staged on PostgreSQL
        ("visits", "V-3,", "V-\x003,", 5, "code"),
    ],
)
def test_a_nul_character_is_refused_at_its_line_and_column(tmp_path, name, old, new, line, column):
    # F6: a NUL in customers.csv was stored by SQLite, and the backup then failed on PostgreSQL;
    # PostgreSQL refused it naming the COPY's line (one less than the file's) and no column
    filename = f"{name}.csv"
    before = snapshot()
    result = interchange_import(
        folder=sample_folder(tmp_path, **{name: SAMPLE[filename].replace(old, new)})
    )
    assert _places(result) == [(filename, line, column)]
    assert "NUL" in result.problems[0].reason
    assert snapshot() == before


def test_the_payment_that_takes_an_invoice_over_its_amount_is_the_one_reported(tmp_path):
    # F11: an overpayment was reported at the invoice's last payment, a valid one further down
    payments = (
        f"{PAYMENTS}PM-1,I-1,2024-02-01,20000.00\nPM-3,I-2,2024-03-30,100.00\n"
        "PM-4,I-2,2024-03-31,99999999.00\nPM-2,I-1,2024-02-20,9280.25\n"
        "PM-5,I-2,2024-04-01,10.00\n"
    )
    before = snapshot()
    result = interchange_import(folder=sample_folder(tmp_path, payments=payments))
    assert _places(result) == [("payments.csv", 4, "amount")]
    assert "add up to 100000109.00" in result.problems[0].reason
    assert snapshot() == before


def test_the_payment_over_an_invoice_with_stored_payments_is_the_one_reported(tmp_path):
    import_sample(tmp_path / "first")  # I-2 (12000.00) holds PM-3 (5000.00)
    payments = (
        f"{PAYMENTS}PM-6,I-2,2024-04-01,6000.00\nPM-7,I-2,2024-04-02,1000.01\n"
        "PM-8,I-2,2024-04-03,1.00\n"
    )
    folder = write_folder(tmp_path / "second", {"payments.csv": payments})
    result = interchange_import(folder=folder)
    assert _places(result) == [("payments.csv", 3, "amount")]
    assert "add up to 12001.01, more than the invoice amount 12000.00" in (
        result.problems[0].reason
    )
