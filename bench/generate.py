"""Generate a benchmark interchange folder: one year of a company of N reps.

    .venv/bin/python bench/generate.py --reps 1000 --seed 1 --out /tmp/bench-1000

Per 1,000 reps: 100 teams, 10 regions, 100k customers, 2M orders / 6M lines, 2M invoices,
1.7M payments, 1.5M visits, 0.5M expenses (proportionally for other N). Shape: monthly
seasonality on working days, Pareto-skewed customer sizes, payments lagging invoices with some
overdue or unpaid. Streams rep by rep (constant memory), deterministic from the seed.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

YEAR = 2025
# Relative monthly volume (Chinese New Year dip in February, year-end push).
SEASON = [0.85, 0.6, 1.0, 1.0, 1.05, 1.1, 0.95, 0.95, 1.05, 0.9, 1.15, 1.4]
CATEGORIES = 10
PRODUCTS_PER_CATEGORY = 20
# Per rep and year.
CUSTOMERS_PER_REP = 100
ORDERS_PER_REP = 2000
LINES_PER_ORDER = 3
PAYMENT_SHARE = 0.85  # 1.7M payments for 2M invoices
VISITS_PER_REP = 1500
EXPENSES_PER_REP = 500
TEAM_MOVES = 0.05  # share of reps who change team during the year
NEXT_DAY = date(YEAR + 1, 1, 2)
FACT_FILES = ("orders", "order_lines", "invoices", "payments", "visits", "expenses")

FILES = {
    "regions": ["code", "name"],
    "teams": ["code", "name", "region_code"],
    "people": ["code", "name", "role", "manager_code", "hire_date", "email"],
    "memberships": ["person_code", "team_code", "start_date", "end_date"],
    "categories": ["code", "name", "focus"],
    "products": ["code", "name", "category_code", "list_price", "standard_cost"],
    "customers": ["code", "name", "industry", "region_code", "owner_code", "created_date"],
    "orders": ["code", "customer_code", "rep_code", "order_date", "status"],
    "order_lines": ["order_code", "line_no", "product_code", "quantity", "amount", "cost"],
    "invoices": [
        "code",
        "customer_code",
        "rep_code",
        "order_code",
        "invoice_date",
        "due_date",
        "amount",
    ],
    "payments": ["code", "invoice_code", "payment_date", "amount"],
    "visits": ["code", "rep_code", "customer_code", "visit_date", "kind", "coach_code", "purpose"],
    "expenses": ["code", "rep_code", "expense_date", "category", "amount"],
    "targets": ["owner_type", "owner_code", "year", "month", "metric", "realistic", "ideal"],
}
INDUSTRIES = ["manufacturing", "retail", "healthcare", "education", "logistics", "energy"]
EXPENSE_KINDS = ["travel", "meals", "hotel", "gifts", "other"]


def money(cents: int) -> str:
    """Cents as an interchange decimal."""
    return f"{cents // 100}.{cents % 100:02d}"


def workdays(year: int) -> tuple[list[date], list[float]]:
    """Monday–Friday days of the year and their cumulative seasonal weights."""
    days, cum, total = [], [], 0.0
    day = date(year, 1, 1)
    while day.year == year:
        if day.weekday() < 5:
            total += SEASON[day.month - 1]
            days.append(day)
            cum.append(total)
        day += timedelta(days=1)
    return days, cum


def generate(*, reps: int, seed: int, out: Path) -> dict[str, int]:
    """Write the folder; return the row count per file."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    handles = {
        name: (out / f"{name}.csv").open("w", newline="", encoding="utf-8") for name in FILES
    }
    writers = {name: csv.writer(handles[name], lineterminator="\n") for name in FILES}
    counts = dict.fromkeys(FILES, 0)
    for name, header in FILES.items():
        writers[name].writerow(header)

    def write(name: str, rows: list) -> None:
        writers[name].writerows(rows)
        counts[name] += len(rows)

    n_teams = max(1, round(reps / 10))
    n_regions = max(1, round(reps / 100))
    days, cum = workdays(YEAR)
    year_end = date(YEAR, 12, 31)

    write("regions", [[f"RG{r:03d}", f"Region {r}"] for r in range(n_regions)])
    write("teams", [[f"T{t:04d}", f"Team {t}", f"RG{t % n_regions:03d}"] for t in range(n_teams)])
    people = [["D0001", "Director", "director", "", "2018-01-02", "director@example.com"]]
    people.append(["F0001", "Finance", "finance", "D0001", "2018-01-02", ""])
    people += [
        [f"H{r:03d}", f"Head {r}", "region_head", "D0001", "2019-03-01", ""]
        for r in range(n_regions)
    ]
    people += [
        [f"M{t:04d}", f"Manager {t}", "manager", f"H{t % n_regions:03d}", "2020-03-02", ""]
        for t in range(n_teams)
    ]
    memberships = [[f"M{t:04d}", f"T{t:04d}", "2020-03-02", ""] for t in range(n_teams)]
    for i in range(reps):
        team = i % n_teams
        hire = date(2021, 1, 4) + timedelta(days=rng.randrange(1200))
        if hire > date(YEAR, 1, 1):
            hire = date(YEAR - 1 - rng.randrange(3), 1 + rng.randrange(12), 1)
        people.append([f"R{i:05d}", f"Rep {i}", "rep", f"M{team:04d}", hire.isoformat(), ""])
        if n_teams > 1 and rng.random() < TEAM_MOVES:
            # A move to the next team on a day inside a month (the engine's harder case).
            moved = date(YEAR, 1 + rng.randrange(12), 2 + rng.randrange(26))
            memberships.append(
                [f"R{i:05d}", f"T{team:04d}", hire.isoformat(), (moved - timedelta(1)).isoformat()]
            )
            memberships.append([f"R{i:05d}", f"T{(team + 1) % n_teams:04d}", moved.isoformat(), ""])
        else:
            memberships.append([f"R{i:05d}", f"T{team:04d}", hire.isoformat(), ""])
    write("people", people)
    write("memberships", memberships)
    write(
        "categories",
        [[f"C{c:02d}", f"Category {c}", "1" if c < 2 else "0"] for c in range(CATEGORIES)],
    )
    products = []  # (code, unit price cents, unit cost cents)
    rows = []
    for c in range(CATEGORIES):
        for p in range(PRODUCTS_PER_CATEGORY):
            price = rng.randrange(2_000, 200_000)
            cost = int(price * rng.uniform(0.45, 0.8))
            code = f"P{c:02d}{p:03d}"
            products.append((code, price, cost))
            rows.append([code, f"Product {c}-{p}", f"C{c:02d}", money(price), money(cost)])
    write("products", rows)
    product_weights = [1.0 / (k + 1) ** 0.8 for k in range(len(products))]
    product_cum = []
    acc = 0.0
    for weight in product_weights:
        acc += weight
        product_cum.append(acc)

    # Targets: sales and visits per rep and month; sales per team and company.
    sales_per_rep_month = 0
    for i in range(reps):
        n_customers = CUSTOMERS_PER_REP
        rep = f"R{i:05d}"
        team = i % n_teams
        region = team % n_regions
        # Customers: Pareto sizes (a few big accounts carry most of the volume).
        customers = []
        rows = []
        for k in range(n_customers):
            code = f"K{i:05d}{k:03d}"
            created = date(2015, 1, 1) + timedelta(days=rng.randrange(365 * 11))
            if created > year_end:
                created = date(YEAR, 1, 1) + timedelta(days=rng.randrange(300))
            customers.append((code, created, rng.paretovariate(1.2)))
            rows.append(
                [
                    code,
                    f"Customer {i}-{k}",
                    rng.choice(INDUSTRIES),
                    f"RG{region:03d}",
                    rep,
                    created.isoformat(),
                ]
            )
        write("customers", rows)
        cust_cum = []
        acc = 0.0
        for _code, _created, weight in customers:
            acc += weight
            cust_cum.append(acc)
        order_custs = rng.choices(customers, cum_weights=cust_cum, k=ORDERS_PER_REP)
        order_days = sorted(rng.choices(days, cum_weights=cum, k=ORDERS_PER_REP))
        orders, lines, invoices, payments = [], [], [], []
        for n, (customer, day) in enumerate(zip(order_custs, order_days, strict=True)):
            code = f"O{i:05d}{n:04d}"
            cust_code, created, _weight = customer
            if day < created:
                day = created
            cancelled = rng.random() < 0.02
            orders.append(
                [code, cust_code, rep, day.isoformat(), "cancelled" if cancelled else "confirmed"]
            )
            total = 0
            for line_no, (pcode, price, cost) in enumerate(
                rng.choices(products, cum_weights=product_cum, k=LINES_PER_ORDER), start=1
            ):
                qty = rng.randint(1, 12)
                amount = price * qty * rng.randint(85, 100) // 100
                total += amount
                lines.append([code, line_no, pcode, qty, money(amount), money(cost * qty)])
            if cancelled:
                continue
            sales_per_rep_month += total
            invoice_date = day + timedelta(days=rng.randrange(4))
            due = invoice_date + timedelta(days=rng.choice((30, 30, 60, 90)))
            inv = f"I{i:05d}{n:04d}"
            invoices.append(
                [inv, cust_code, rep, code, invoice_date.isoformat(), due.isoformat(), money(total)]
            )
            if rng.random() < PAYMENT_SHARE / 0.98:
                # Lag: most pay around the due date, a tail pays late (overdue for a while).
                lag = max(1, int(rng.gauss((due - invoice_date).days * 0.9, 12)))
                if rng.random() < 0.1:
                    lag += rng.randrange(30, 120)
                payments.append(
                    [
                        f"Y{i:05d}{n:04d}",
                        inv,
                        (invoice_date + timedelta(days=lag)).isoformat(),
                        money(total),
                    ]
                )
        write("orders", orders)
        write("order_lines", lines)
        write("invoices", invoices)
        write("payments", payments)
        coach = f"M{team:04d}"
        visit_custs = rng.choices(customers, cum_weights=cust_cum, k=VISITS_PER_REP)
        visit_days = sorted(rng.choices(days, cum_weights=cum, k=VISITS_PER_REP))
        rows = []
        for n, (customer, day) in enumerate(zip(visit_custs, visit_days, strict=True)):
            roll = rng.random()
            kind = "joint" if roll < 0.05 else ("service" if roll < 0.25 else "visit")
            rows.append(
                [
                    f"V{i:05d}{n:04d}",
                    rep,
                    customer[0],
                    max(day, customer[1]).isoformat(),
                    kind,
                    coach if kind == "joint" else "",
                    "",
                ]
            )
        write("visits", rows)
        rows = [
            [
                f"E{i:05d}{n:04d}",
                rep,
                day.isoformat(),
                rng.choice(EXPENSE_KINDS),
                money(int(rng.lognormvariate(5.5, 0.8) * 100)),
            ]
            for n, day in enumerate(sorted(rng.choices(days, cum_weights=cum, k=EXPENSES_PER_REP)))
        ]
        write("expenses", rows)
    # Targets: monthly sales (about the generated average, ideal +20%) and visits per rep.
    avg_month = sales_per_rep_month // max(1, reps) // 12
    rows = []
    for i in range(reps):
        for month in range(1, 13):
            realistic = avg_month * int(SEASON[month - 1] * 100) // 100
            rows.append(
                [
                    "person",
                    f"R{i:05d}",
                    YEAR,
                    month,
                    "sales",
                    money(realistic),
                    money(realistic * 6 // 5),
                ]
            )
            rows.append(["person", f"R{i:05d}", YEAR, month, "visits", 120, 140])
    write("targets", rows)
    for handle in handles.values():
        handle.close()
    return counts


def generate_next_day(*, reps: int, seed: int, out: Path) -> dict[str, int]:
    """One more working day of facts (≈ 1% of a year) for the company of `generate`.

    The orders, lines, invoices, payments (on that day's invoices), visits and expenses of
    NEXT_DAY, for the reps and customers of the year's folder (same codes).
    """
    rng = random.Random(seed + 1)
    out.mkdir(parents=True, exist_ok=True)
    rows: dict[str, list] = {name: [] for name in FACT_FILES}
    day = NEXT_DAY.isoformat()
    per_rep = {
        "orders": ORDERS_PER_REP // 100,
        "visits": VISITS_PER_REP // 100,
        "expenses": EXPENSES_PER_REP // 100,
    }
    n_teams = max(1, round(reps / 10))
    for i in range(reps):
        rep = f"R{i:05d}"
        for n in range(per_rep["orders"]):
            code, customer = f"N{i:05d}{n:03d}", f"K{i:05d}{rng.randrange(CUSTOMERS_PER_REP):03d}"
            rows["orders"].append([code, customer, rep, day, "confirmed"])
            total = 0
            for line_no in range(1, LINES_PER_ORDER + 1):
                price, qty = rng.randrange(2_000, 200_000), rng.randint(1, 12)
                total += price * qty
                rows["order_lines"].append(
                    [code, line_no, f"P{rng.randrange(CATEGORIES):02d}{rng.randrange(20):03d}",
                     qty, money(price * qty), money(price * qty * 6 // 10)]
                )  # fmt: skip
            invoice = f"NI{i:05d}{n:03d}"
            due = (NEXT_DAY + timedelta(days=30)).isoformat()
            rows["invoices"].append([invoice, customer, rep, code, day, due, money(total)])
            if rng.random() < PAYMENT_SHARE:
                rows["payments"].append([f"NY{i:05d}{n:03d}", invoice, day, money(total // 2)])
        for n in range(per_rep["visits"]):
            customer = f"K{i:05d}{rng.randrange(CUSTOMERS_PER_REP):03d}"
            kind = "joint" if n == 0 and i % 7 == 0 else "visit"
            coach = f"M{i % n_teams:04d}" if kind == "joint" else ""
            rows["visits"].append([f"NV{i:05d}{n:03d}", rep, customer, day, kind, coach, ""])
        for n in range(per_rep["expenses"]):
            amount = money(rng.randrange(5_000, 90_000))
            rows["expenses"].append(
                [f"NE{i:05d}{n:03d}", rep, day, rng.choice(EXPENSE_KINDS), amount]
            )
    for name, body in rows.items():
        with (out / f"{name}.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(FILES[name])
            writer.writerows(body)
    return {name: len(body) for name, body in rows.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument(
        "--next-day",
        action="store_true",
        help=f"write only one more day ({NEXT_DAY}) of facts for the same company",
    )
    args = parser.parse_args()
    started = time.perf_counter()
    make = generate_next_day if args.next_day else generate
    counts = make(reps=args.reps, seed=args.seed, out=args.out)
    elapsed = time.perf_counter() - started
    total = sum(counts.values())
    for name, count in counts.items():
        print(f"{name + '.csv':<18}{count:>12,}")
    print(f"{'total':<18}{total:>12,} rows in {elapsed:.1f} s", file=sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
