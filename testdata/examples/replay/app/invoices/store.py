"""Invoices, one item per invoice, keyed by invoice_id."""
import boto3
from boto3.dynamodb.conditions import Key

_table = boto3.resource("dynamodb", region_name="eu-west-1").Table("invoices")


def get(invoice_id):
    return _table.get_item(Key={"invoice_id": invoice_id}).get("Item")


def for_customer(customer_id):
    return _table.query(
        IndexName="ByCustomer",
        KeyConditionExpression=Key("customer_id").eq(customer_id),
    )["Items"]


def issue(invoice):
    _table.put_item(Item=invoice)
