"""Order views.

A docstring that mentions client.get_item(TableName="Docstring") is not code.
"""
import boto3
import requests
from django.core.cache import cache

ddb = boto3.client("dynamodb", region_name="eu-west-1")
streams = boto3.client("dynamodbstreams")
s3 = boto3.client("s3")


def order_detail(request, order_id):
    # ddb.delete_item(TableName="Commented") is a comment
    cached = cache.get(order_id)
    page = requests.get("https://example.com")
    s3.get_object(Bucket="b", Key="k")
    item = ddb.get_item(TableName="Orders", Key={"id": {"S": order_id}})
    ddb.put_item(TableName="Orders", Item={})
    ddb.update_item(
        TableName="Orders",
        Key={},
    )
    return item, cached, page


def by_customer(customer):
    return ddb.query(TableName="Orders", IndexName="ByCustomer",
                     KeyConditionExpression="c = :c")


def admin():
    ddb.describe_time_to_live(TableName="Orders")
    ddb.list_tables()
    ddb.batch_get_item(RequestItems={"Orders": {}, "Customers": {}})
    ddb.batch_write_item(RequestItems={"Audit": []})
    ddb.tag_resource(ResourceArn="arn:aws:dynamodb:eu-west-1:123456789012:table/Orders", Tags=[])
    ddb.describe_limits()
    pages = ddb.get_paginator("scan").paginate(TableName="Customers")
    paginator = ddb.get_paginator("query")
    for page in paginator.paginate(TableName="Orders", IndexName="ByStatus"):
        pass
    ddb.get_paginator("list_tables").paginate()
    ddb.get_waiter("table_exists").wait(TableName="Audit")
    return pages


def changes():
    streams.list_streams(TableName="Orders")
    streams.describe_stream(
        StreamArn="arn:aws:dynamodb:eu-west-1:123456789012:table/Orders/stream/2024")
    streams.get_shard_iterator(StreamArn="arn:aws:dynamodb:eu-west-1:123456789012:table/Orders/stream/2024",
                               ShardId="s", ShardIteratorType="LATEST")
    streams.get_records(ShardIterator="x")
