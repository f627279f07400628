"""Every bad input of INTERCHANGE.md is refused: file, line, column and reason; nothing written."""

import pytest

from salesorg.interchange.importer import interchange_import
from tests.interchange.helpers import import_sample, sample_folder, snapshot

pytestmark = pytest.mark.django_db

LONG_CODE = "X" * 65

# (id, changed files, expected file, line, column, words of the reason)
CASES = [
    (
        "missing-required-column",
        {"teams": "code,name\nEAST1,华东一组\n"},
        "teams.csv",
        1,
        "region_code",
        "required column",
    ),
    (
        "missing-required-value",
        {"regions": "code,name\nEAST,\nNORTH,华北大区\n"},
        "regions.csv",
        2,
        "name",
        "value is required",
    ),
    (
        "malformed-date",
        {"calendar": "date,workday\n2024/02/10,1\n"},
        "calendar.csv",
        2,
        "date",
        "not a date",
    ),
    (
        "impossible-date",
        {"calendar": "date,workday\n2024-02-30,1\n"},
        "calendar.csv",
        2,
        "date",
        "not a date",
    ),
    (
        "malformed-number",
        {
            "expenses": "code,rep_code,expense_date,category,amount\n"
            'E-1,REP-E1A,2024-01-05,差旅,"1,200.00"\n'
        },
        "expenses.csv",
        2,
        "amount",
        "not a number",
    ),
    (
        "more-values-than-columns",
        {
            "expenses": "code,rep_code,expense_date,category,amount\n"
            "E-1,REP-E1A,2024-01-05,差旅,1,200.00\n"
        },
        "expenses.csv",
        2,
        "",
        "values but the header has",
    ),
    (
        "malformed-quantity",
        {
            "order_lines": "order_code,line_no,product_code,quantity,amount,cost\n"
            "O-1001,1,P-100,two,25600.00,15200.00\n"
        },
        "order_lines.csv",
        2,
        "quantity",
        "not a number",
    ),
    (
        "malformed-boolean",
        {"categories": "code,name,focus\nCAT-A,医疗器械,yes\nCAT-B,耗材,0\n"},
        "categories.csv",
        2,
        "focus",
        "not a boolean",
    ),
    (
        "money-with-three-decimals",
        {
            "products": "code,name,category_code,list_price,standard_cost\n"
            "P-100,监护仪,CAT-A,12800.005,7600.00\nP-200,试剂,CAT-B,,\nP-300,样品,CAT-B,,\n"
        },
        "products.csv",
        2,
        "list_price",
        "more than 2 decimals",
    ),
    (
        "unknown-reference-across-files",
        {
            "customers": "code,name,industry,region_code,owner_code,created_date,credit_limit\n"
            "C-001,仁和医院,医疗,EAST,REP-E1A,2021-03-15,\n"
            "C-002,康达诊所,,EAST,NOBODY,2022-07-01,\n"
            "C-003,北方医学中心,医疗,NORTH,REP-N1A,2021-05-20,\n"
        },
        "customers.csv",
        3,
        "owner_code",
        "Unknown code “NOBODY”",
    ),
    (
        "duplicate-code",
        {"regions": "code,name\nEAST,华东大区\nNORTH,华北大区\nEAST,又一个\n"},
        "regions.csv",
        4,
        "code",
        "Duplicate code “EAST”",
    ),
    (
        "code-too-long",
        {"regions": f"code,name\nEAST,华东\nNORTH,华北\n{LONG_CODE},太长\n"},
        "regions.csv",
        4,
        "code",
        "1 to 64 characters",
    ),
    (
        "unknown-role",
        {
            "people": "code,name,role,manager_code,hire_date,leave_date,email\n"
            "ADMIN,管理员,boss,,2019-01-01,,\n"
        },
        "people.csv",
        2,
        "role",
        "not a valid role",
    ),
    (
        "unknown-visit-kind",
        {
            "visits": "code,rep_code,customer_code,visit_date,kind,coach_code,purpose,outcome\n"
            "V-1,REP-E1A,C-001,2024-01-05,call,,,\n"
        },
        "visits.csv",
        2,
        "kind",
        "not a valid kind",
    ),
    (
        "unknown-order-status",
        {
            "orders": "code,customer_code,rep_code,order_date,status\n"
            "O-1001,C-001,REP-E1A,2024-01-10,confirmed\n"
            "O-1002,C-002,REP-E2A,2024-02-05,open\n"
            "O-1003,C-003,REP-N1A,2024-03-01,confirmed\n"
        },
        "orders.csv",
        3,
        "status",
        "not a valid status",
    ),
    (
        "unknown-metric",
        {
            "targets": "owner_type,owner_code,year,month,metric,realistic,ideal\n"
            "company,,2024,1,profit,100.00,\n"
        },
        "targets.csv",
        2,
        "metric",
        "not a valid metric",
    ),
    (
        "unknown-owner-type",
        {
            "targets": "owner_type,owner_code,year,month,metric,realistic,ideal\n"
            "department,EAST1,2024,1,sales,100.00,\n"
        },
        "targets.csv",
        2,
        "owner_type",
        "not a valid owner_type",
    ),
    (
        "unknown-target-owner",
        {
            "targets": "owner_type,owner_code,year,month,metric,realistic,ideal\n"
            "team,EAST9,2024,1,sales,100.00,\n"
        },
        "targets.csv",
        2,
        "owner_code",
        "Unknown code “EAST9”",
    ),
    (
        "company-target-with-owner",
        {
            "targets": "owner_type,owner_code,year,month,metric,realistic,ideal\n"
            "company,EAST,2024,1,sales,100.00,\n"
        },
        "targets.csv",
        2,
        "owner_code",
        "company target has no owner",
    ),
    (
        "unknown-contact-role",
        {"contacts": "code,customer_code,name,title,role,phone,email\nK-1,C-001,周主任,,ceo,,\n"},
        "contacts.csv",
        2,
        "role",
        "not a valid role",
    ),
    (
        "negative-amount",
        {
            "invoices": "code,customer_code,rep_code,order_code,invoice_date,due_date,amount\n"
            "I-1,C-001,REP-E1A,O-1001,2024-01-15,2024-02-14,-29280.25\n"
        },
        "invoices.csv",
        2,
        "amount",
        "negative",
    ),
    (
        "negative-cost",
        {
            "order_lines": "order_code,line_no,product_code,quantity,amount,cost\n"
            "O-1001,1,P-100,2,25600.00,-1.00\n"
        },
        "order_lines.csv",
        2,
        "cost",
        "negative",
    ),
    (
        "negative-quantity",
        {
            "order_lines": "order_code,line_no,product_code,quantity,amount,cost\n"
            "O-1001,1,P-100,-2,25600.00,1.00\n"
        },
        "order_lines.csv",
        2,
        "quantity",
        "negative",
    ),
    (
        "leave-before-hire",
        {
            "people": "code,name,role,manager_code,hire_date,leave_date,email\n"
            "ADMIN,管理员,admin,,2019-01-01,2018-12-31,\n"
        },
        "people.csv",
        2,
        "leave_date",
        "before the hire date",
    ),
    (
        "overlapping-memberships",
        {
            "memberships": "person_code,team_code,start_date,end_date\n"
            "REP-E1A,EAST1,2020-01-01,2022-12-31\n"
            "REP-E1A,EAST2,2022-12-31,\n"
        },
        "memberships.csv",
        3,
        "start_date",
        "overlaps another: team EAST1 from 2020-01-01 (line 2)",
    ),
    (
        "payment-before-invoice",
        {"payments": "code,invoice_code,payment_date,amount\nPM-1,I-1,2024-01-14,100.00\n"},
        "payments.csv",
        2,
        "payment_date",
        "dated before its invoice I-1",
    ),
    (
        "payments-above-invoice",
        {
            "payments": "code,invoice_code,payment_date,amount\n"
            "PM-1,I-2,2024-03-30,6000.00\n"
            "PM-2,I-2,2024-04-30,6000.01\n"
        },
        "payments.csv",
        3,
        "amount",
        "add up to 12000.01, more than the invoice amount 12000.00",
    ),
    (
        "joint-visit-without-coach",
        {
            "visits": "code,rep_code,customer_code,visit_date,kind,coach_code,purpose,outcome\n"
            "V-2,REP-E1A,C-001,2024-01-08,joint,,,\n"
        },
        "visits.csv",
        2,
        "coach_code",
        "joint visit needs a coach",
    ),
    (
        "month-outside-1-12",
        {
            "targets": "owner_type,owner_code,year,month,metric,realistic,ideal\n"
            "company,,2024,13,sales,100.00,\n"
        },
        "targets.csv",
        2,
        "month",
        "expected 1 to 12",
    ),
    (
        "ideal-below-realistic",
        {
            "targets": "owner_type,owner_code,year,month,metric,realistic,ideal\n"
            "company,,2024,1,sales,100.00,99.99\n"
        },
        "targets.csv",
        2,
        "ideal",
        "below the realistic target",
    ),
    (
        "duplicate-order-line",
        {
            "order_lines": "order_code,line_no,product_code,quantity,amount,cost\n"
            "O-1001,1,P-100,2,25600.00,15200.00\n"
            "O-1001,1,P-200,1,350.50,120.25\n"
        },
        "order_lines.csv",
        3,
        "order_code",
        "Duplicate row: order_code O-1001, line_no 1",
    ),
    (
        "text-too-long",
        {"regions": "code,name\nEAST," + "长" * 101 + "\n"},
        "regions.csv",
        2,
        "name",
        "at most 100 characters",
    ),
    (
        "bad-email",
        {
            "people": "code,name,role,manager_code,hire_date,leave_date,email\n"
            "ADMIN,管理员,admin,,2019-01-01,,admin-at-example\n"
        },
        "people.csv",
        2,
        "email",
        "not a valid email address",
    ),
    (
        "own-manager",
        {
            "people": "code,name,role,manager_code,hire_date,leave_date,email\n"
            "ADMIN,管理员,admin,ADMIN,2019-01-01,,\n"
        },
        "people.csv",
        2,
        "manager_code",
        "cannot be their own manager",
    ),
    (
        "due-before-invoice",
        {
            "invoices": "code,customer_code,rep_code,order_code,invoice_date,due_date,amount\n"
            "I-1,C-001,REP-E1A,O-1001,2024-01-15,2024-01-14,29280.25\n"
        },
        "invoices.csv",
        2,
        "due_date",
        "due date is before the invoice date",
    ),
    (
        "unknown-column",
        {"regions": "code,name,colour\nEAST,华东大区,red\n"},
        "regions.csv",
        1,
        "colour",
        "Unknown column",
    ),
]


def _assert_refused(result, file, line, column, words):
    assert not result.ok
    matches = [
        problem
        for problem in result.problems
        if (problem.file, problem.line, problem.column) == (file, line, column)
    ]
    assert matches, [str(problem) for problem in result.problems]
    assert any(words in problem.reason for problem in matches), [p.reason for p in matches]
    text = str(matches[0])
    assert text.startswith(file) and f"line {line}" in text
    if column:
        assert f"column {column}" in text


@pytest.mark.parametrize(
    ("changes", "file", "line", "column", "words"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_bad_input_is_refused_and_nothing_is_written(tmp_path, changes, file, line, column, words):
    before = snapshot()
    result = interchange_import(folder=sample_folder(tmp_path, **changes))
    _assert_refused(result, file, line, column, words)
    assert snapshot() == before


# Rules that also look at rows already in the database (the sample is imported first).
DB_CASES = [
    (
        "unknown-reference-in-database",
        {
            "orders.csv": "code,customer_code,rep_code,order_date,status\n"
            "O-2001,C-001,REP-E1A,2024-05-01,confirmed\n"
            "O-2002,C-999,REP-E1A,2024-05-02,confirmed\n"
        },
        "orders.csv",
        3,
        "customer_code",
        "Unknown code “C-999”: it is neither in customers.csv nor in the database",
    ),
    (
        "membership-overlapping-a-database-row",
        {
            "memberships.csv": "person_code,team_code,start_date,end_date\n"
            "REP-E2A,EAST1,2021-01-01,\n"
        },
        "memberships.csv",
        2,
        "start_date",
        "team EAST2 from 2020-02-01 (already in the database)",
    ),
    (
        "payment-before-invoice-in-database",
        {"payments.csv": "code,invoice_code,payment_date,amount\nPM-4,I-2,2024-03-04,1.00\n"},
        "payments.csv",
        2,
        "payment_date",
        "dated before its invoice I-2 of 2024-03-05",
    ),
    (
        "payments-in-database-and-file-above-invoice",
        {"payments.csv": "code,invoice_code,payment_date,amount\nPM-4,I-2,2024-04-01,7000.01\n"},
        "payments.csv",
        2,
        "amount",
        "add up to 12000.01, more than the invoice amount 12000.00",
    ),
    (
        "invoice-lowered-below-its-payments",
        {
            "invoices.csv": "code,customer_code,rep_code,order_code,invoice_date,due_date,amount\n"
            "I-2,C-003,REP-N1A,,2024-03-05,2024-04-04,4999.99\n"
        },
        "invoices.csv",
        2,
        "amount",
        "add up to 5000.00, more than the invoice amount 4999.99",
    ),
]


@pytest.mark.parametrize(
    ("files", "file", "line", "column", "words"),
    [case[1:] for case in DB_CASES],
    ids=[case[0] for case in DB_CASES],
)
def test_bad_input_against_the_database_is_refused(tmp_path, files, file, line, column, words):
    import_sample(tmp_path / "first")
    before = snapshot()
    folder = tmp_path / "second"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    result = interchange_import(folder=folder)
    _assert_refused(result, file, line, column, words)
    assert snapshot() == before


def test_a_payment_may_move_to_another_invoice_without_counting_twice(tmp_path):
    import_sample(tmp_path / "first")
    folder = tmp_path / "second"
    folder.mkdir()
    # PM-3 (5000.00 on I-2) is replaced by the file's version of it: 12000.00 in total is fine.
    (folder / "payments.csv").write_text(
        "code,invoice_code,payment_date,amount\nPM-3,I-2,2024-03-30,12000.00\n", encoding="utf-8"
    )
    result = interchange_import(folder=folder)
    assert result.ok, result.problems
    assert result.files["payments.csv"].updated == 1
