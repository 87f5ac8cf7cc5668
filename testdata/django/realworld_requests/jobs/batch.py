import boto3

client = boto3.client("dynamodb")
ORDERS = "orders"
LINES = "order-lines"


def copy(ids):
    client.transact_get_items(
        TransactItems=[{"Get": {"TableName": ORDERS, "Key": {"id": i}}} for i in ids]
    )
    items = []
    for i in ids:
        items.append({"Put": {"TableName": LINES, "Item": {"id": i}}})
    items.append({"Delete": {"TableName": ORDERS, "Key": {}}})
    client.transact_write_items(TransactItems=items)
    request = {}
    request[ORDERS] = {"Keys": []}
    request.update({LINES: {"Keys": []}})
    client.batch_get_item(RequestItems=request)
    params = {"TableName": LINES, "IndexName": "ByOrder"}
    params["KeyConditionExpression"] = "o = :o"
    client.query(**params)
    for page in client.get_paginator("scan").paginate(TableName=ORDERS):
        pass
    waiter = client.get_waiter("table_exists")
    waiter.wait(TableName=LINES)
