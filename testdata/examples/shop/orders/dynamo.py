"""Access to the orders table."""
import boto3
from boto3.dynamodb.conditions import Key
from django.conf import settings

_dynamodb = boto3.resource("dynamodb", region_name=settings.AWS_REGION)


class OrderRepository:
    """Reads and writes orders; one item per order, keyed by order_id."""

    def __init__(self):
        self.table = _dynamodb.Table(settings.ORDERS_TABLE)

    def get(self, order_id):
        response = self.table.get_item(Key={"order_id": order_id})
        return response.get("Item")

    def for_customer(self, customer_id):
        # The ByCustomer global secondary index is keyed by customer_id.
        response = self.table.query(
            IndexName="ByCustomer",
            KeyConditionExpression=Key("customer_id").eq(customer_id),
        )
        return response["Items"]

    def place(self, order):
        self.table.put_item(
            Item=order,
            ConditionExpression="attribute_not_exists(order_id)",
        )

    def mark_shipped(self, order_id):
        self.table.update_item(
            Key={"order_id": order_id},
            UpdateExpression="SET #s = :s",
            ExpressionAttributeNames={"#s": "status"},
            ExpressionAttributeValues={":s": "SHIPPED"},
        )

    def import_batch(self, orders):
        with self.table.batch_writer() as batch:
            for order in orders:
                batch.put_item(Item=order)
