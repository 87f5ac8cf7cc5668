import os

import boto3
from django.conf import settings

dynamodb = boto3.resource("dynamodb")
invoices = dynamodb.Table(settings.INVOICES_TABLE)
ledger = dynamodb.Table(os.getenv("LEDGER_TABLE"))


def invoice(invoice_id):
    return invoices.get_item(Key={"id": invoice_id}).get("Item")


def post(entry):
    ledger.put_item(Item=entry)
