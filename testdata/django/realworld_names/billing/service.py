import os

import boto3
from django.conf import settings

from billing.constants import LEDGER, PREFIX

ddb = boto3.resource("dynamodb")
TABLES = {
    "refunds": {"prefix": "refunds"},
    "credits": {"prefix": "credits"},
}


def run(kind):
    ddb.Table(settings.INVOICES_TABLE).scan()
    ddb.Table(LEDGER).put_item(Item={})
    ddb.Table("%s-payments" % PREFIX).get_item(Key={})
    ddb.Table("{}-{}".format(PREFIX, "reports")).query(KeyConditionExpression="k = :k")
    ddb.Table(PREFIX + "-audit").delete_item(Key={})
    ddb.Table(getattr(settings, "ARCHIVE_TABLE", "archive")).scan()
    ddb.Table(TABLES[kind]["prefix"] + "-" + os.environ["REGION"]).scan()
    ddb.Table(os.environ.get("CACHE") or "cache").get_item(Key={})
