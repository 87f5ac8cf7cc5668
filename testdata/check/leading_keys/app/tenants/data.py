import boto3

client = boto3.client("dynamodb")


def tenant_items(tenant_id):
    return client.query(
        TableName="tenant-data",
        KeyConditionExpression="tenant_id = :t",
        ExpressionAttributeValues={":t": {"S": tenant_id}},
    )["Items"]


def store(item):
    client.put_item(TableName="tenant-data", Item=item)
