import boto3
from boto3.session import Session

dynamodb = boto3.resource("dynamodb")
products = dynamodb.Table("Products")
session = Session(region_name="us-east-1")
other = session.resource("dynamodb")
client = boto3.Session().client("dynamodb")


def crud(pid):
    products.get_item(Key={"id": pid})
    products.put_item(Item={"id": pid})
    products.update_item(Key={"id": pid}, UpdateExpression="SET a = :a")
    products.delete_item(Key={"id": pid})
    products.query(KeyConditionExpression="x", IndexName="BySku")
    products.scan()
    with products.batch_writer() as batch:
        batch.put_item(Item={"id": pid})


def lifecycle():
    products.load()
    products.reload()
    count = products.item_count
    products.update(BillingMode="PAY_PER_REQUEST")
    stock = other.Table("Stock")
    stock.delete()
    stock.wait_until_exists()
    stock.meta.client.describe_table(TableName="Stock")
    return count


def account():
    for t in dynamodb.tables.all():
        print(t.name)
    dynamodb.batch_get_item(RequestItems={"Products": {"Keys": []}})
    dynamodb.batch_write_item(RequestItems={"Stock": []})
    dynamodb.create_table(TableName="Archive", KeySchema=[])
    client.scan(TableName="Stock")
    dynamodb.meta.client.get_item(TableName="Products", Key={})
