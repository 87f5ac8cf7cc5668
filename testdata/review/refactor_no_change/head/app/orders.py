"""Order storage in DynamoDB, through a small repository class."""
import boto3

from .tables import ORDERS


class OrderRepository:
    def __init__(self, table_name):
        self.table = boto3.resource("dynamodb").Table(table_name)

    def get(self, order_id):
        return self.table.get_item(Key={"id": order_id}).get("Item")

    def save(self, order):
        self.table.put_item(Item=order)


orders = OrderRepository(ORDERS)
