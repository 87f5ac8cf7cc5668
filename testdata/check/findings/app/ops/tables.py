import boto3

client = boto3.client("dynamodb")


def table_names():
    return client.list_tables()["TableNames"]


def describe(name):
    return client.describe_table(TableName="orders")
