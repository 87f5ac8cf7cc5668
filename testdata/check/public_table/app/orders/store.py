import boto3

table = boto3.resource("dynamodb").Table("orders")


def get_order(order_id):
    return table.get_item(Key={"order_id": order_id}).get("Item")
