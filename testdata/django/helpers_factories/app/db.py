import boto3

TABLE_PREFIX = "crm"


def get_resource():
    return boto3.resource("dynamodb")


def get_table(name):
    return get_resource().Table(f"{TABLE_PREFIX}-{name}")


def make_client():
    session = boto3.session.Session()
    return session.client("dynamodb")
