import boto3

table = boto3.resource("dynamodb").Table("Live")


def view():
    return table.get_item(Key={})
