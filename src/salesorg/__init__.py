"""SalesOrg (销售组织管理系统): run a field sales organization."""
