ORDERS = "Orders"
LEDGER_PREFIX = "ledger"
