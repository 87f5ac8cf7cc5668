import os

DEBUG = False
INVOICES_TABLE = os.environ["INVOICES_TABLE"]
