import boto3
from boto3.dynamodb.conditions import Key

table = boto3.resource("dynamodb").Table("orders")


def get_order(order_id):
    return table.get_item(Key={"order_id": order_id}).get("Item")


def save_order(order):
    table.put_item(Item=order)


def orders_of(customer_id):
    response = table.query(
        IndexName="by-customer",
        KeyConditionExpression=Key("customer_id").eq(customer_id),
    )
    return response["Items"]
