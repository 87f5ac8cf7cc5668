import os

INVOICES_TABLE = "Invoices"
STAGE = os.environ.get("STAGE", "dev")
PAYMENTS_TABLE = os.environ["PAYMENTS_TABLE"]
REFUNDS_TABLE = os.getenv("REFUNDS_TABLE", "Refunds")
DEBUG = os.environ.get("DEBUG") == "1"
