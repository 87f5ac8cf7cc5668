import environ
import os

env = environ.Env()
STAGE = os.environ.get("STAGE", "dev")
INVOICES_TABLE = env.str("INVOICES_TABLE", default="invoices")
DEBUG = env.bool("DEBUG", default=False)
