"""A small, realistic interchange folder with every file, written in canonical form.

Canonical means exactly what `salesorg export` writes, so exporting after importing
it must give these bytes back.
"""

from pathlib import Path

SAMPLE: dict[str, str] = {
    "regions.csv": """code,name
EAST,华东大区
NORTH,华北大区
""",
    "teams.csv": """code,name,region_code
EAST1,华东一组,EAST
EAST2,华东二组,EAST
NORTH1,华北一组,NORTH
""",
    "people.csv": """code,name,role,manager_code,hire_date,leave_date,email
ADMIN,管理员,admin,,2019-01-01,,admin@example.com
DIR,王总,director,,2019-01-01,,
HEAD-E,李华东,region_head,DIR,2019-03-01,,li@example.com
HEAD-N,赵华北,region_head,DIR,2019-03-01,,
MGR-E1,张经理,manager,HEAD-E,2019-06-01,,
MGR-E2,"Smith, Jane",manager,HEAD-E,2019-06-01,,
MGR-N1,钱经理,manager,HEAD-N,2019-06-01,,
REP-E1A,刘一,rep,MGR-E1,2020-01-01,,
REP-E1B,陈二,rep,MGR-E1,2020-01-01,2023-06-30,
REP-E2A,杨三,rep,MGR-E2,2020-02-01,,
REP-N1A,黄四,rep,MGR-N1,2021-01-01,,
""",
    "memberships.csv": """person_code,team_code,start_date,end_date
MGR-E1,EAST1,2019-06-01,
MGR-E2,EAST2,2019-06-01,
MGR-N1,NORTH1,2019-06-01,
REP-E1A,EAST1,2020-01-01,2022-12-31
REP-E1A,EAST2,2023-01-01,
REP-E1B,EAST1,2020-01-01,2023-06-30
REP-E2A,EAST2,2020-02-01,
REP-N1A,NORTH1,2021-01-01,
""",
    "categories.csv": """code,name,focus
CAT-A,医疗器械,1
CAT-B,耗材,0
""",
    "products.csv": '''code,name,category_code,list_price,standard_cost
P-100,监护仪,CAT-A,12800.00,7600.00
P-200,"试剂盒 ""高敏""",CAT-B,350.50,120.25
P-300,样品,CAT-B,,
''',
    "customers.csv": """code,name,industry,region_code,owner_code,created_date,credit_limit
C-001,仁和医院,医疗,EAST,REP-E1A,2021-03-15,500000.00
C-002,康达诊所,,EAST,REP-E2A,2022-07-01,
C-003,北方医学中心,医疗,NORTH,REP-N1A,2021-05-20,1000000.00
""",
    "contacts.csv": """code,customer_code,name,title,role,phone,email
K-1,C-001,周主任,设备科主任,decision_maker,010-12345678,zhou@example.com
K-2,C-001,吴工,,user,,
K-3,C-003,郑院长,院长,,,
""",
    "orders.csv": """code,customer_code,rep_code,order_date,status
O-1001,C-001,REP-E1A,2024-01-10,confirmed
O-1002,C-002,REP-E2A,2024-02-05,cancelled
O-1003,C-003,REP-N1A,2024-03-01,confirmed
""",
    "order_lines.csv": """order_code,line_no,product_code,quantity,amount,cost
O-1001,1,P-100,2,25600.00,15200.00
O-1001,2,P-200,10.5,3680.25,1262.63
O-1002,1,P-200,1,350.50,120.25
O-1003,1,P-300,0.125,0.00,0.00
O-1003,2,P-100,1,12000.00,7600.00
""",
    "invoices.csv": """code,customer_code,rep_code,order_code,invoice_date,due_date,amount
I-1,C-001,REP-E1A,O-1001,2024-01-15,2024-02-14,29280.25
I-2,C-003,REP-N1A,,2024-03-05,2024-04-04,12000.00
""",
    "payments.csv": """code,invoice_code,payment_date,amount
PM-1,I-1,2024-02-01,20000.00
PM-2,I-1,2024-02-20,9280.25
PM-3,I-2,2024-03-30,5000.00
""",
    "visits.csv": """code,rep_code,customer_code,visit_date,kind,coach_code,purpose,outcome
V-1,REP-E1A,C-001,2024-01-05,visit,,产品介绍,"客户有兴趣，
下周再访"
V-2,REP-E1A,C-001,2024-01-08,joint,MGR-E1,商务谈判,签约意向
V-3,REP-N1A,C-003,2024-02-10,service,,设备维护,
""",
    "expenses.csv": """code,rep_code,expense_date,category,amount
E-1,REP-E1A,2024-01-05,差旅,356.80
E-2,REP-N1A,2024-02-10,招待,1200.00
""",
    "targets.csv": """owner_type,owner_code,year,month,metric,realistic,ideal
company,,2024,1,sales,100000.00,120000.00
person,REP-E1A,2024,1,sales,30000.00,36000.00
person,REP-E1A,2024,1,visits,20.00,20.00
region,EAST,2024,1,sales,60000.00,72000.00
team,EAST1,2024,1,gross_margin,10000.00,10000.00
""",
    "calendar.csv": """date,workday
2024-02-10,1
2024-02-12,0
""",
}


def write_folder(folder: Path, files: dict[str, str]) -> Path:
    """Write CSV texts into a folder (created if needed) exactly as given, and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_bytes(text.encode("utf-8"))
    return folder
