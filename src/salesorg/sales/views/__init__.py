"""Pages of the sales records: orders, invoices and payments, visits, expenses."""
