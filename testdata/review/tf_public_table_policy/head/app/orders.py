"""Order storage in DynamoDB."""
import boto3

_table = boto3.resource("dynamodb").Table("orders")


def get_order(order_id):
    return _table.get_item(Key={"id": order_id}).get("Item")


def save_order(order):
    _table.put_item(Item=order)
