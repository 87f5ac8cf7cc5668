import os

import boto3
from django.conf import settings

from .tables import ORDERS, LEDGER_PREFIX
from . import tables

ddb = boto3.resource("dynamodb")
REGION = os.environ.get("AWS_REGION")
LOCAL = "Local"


def run(user):
    ddb.Table(ORDERS).get_item(Key={})
    ddb.Table(tables.ORDERS).put_item(Item={})
    ddb.Table(LOCAL).scan()
    ddb.Table(f"{LEDGER_PREFIX}-{settings.STAGE}").query()
    ddb.Table(f"events-{user.tenant}").put_item(Item={})
    ddb.Table(settings.INVOICES_TABLE).scan()
    ddb.Table(settings.PAYMENTS_TABLE).get_item(Key={})
    ddb.Table(settings.REFUNDS_TABLE).delete_item(Key={})
    ddb.Table(settings.MISSING_TABLE).scan()
    ddb.Table(os.environ["AUDIT_TABLE"]).put_item(Item={})
    ddb.Table(os.environ.get("CACHE_TABLE", "Cache")).get_item(Key={})
    ddb.Table(os.getenv("SEARCH_TABLE")).query()
    ddb.Table(user.table_name).scan()
    ddb.Table("archive-" + LOCAL).scan()
