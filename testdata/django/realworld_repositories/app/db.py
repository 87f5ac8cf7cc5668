import os

import boto3

_resource = boto3.resource("dynamodb")


def table(name):
    return _resource.Table(name)


class Repository:
    def __init__(self, tbl):
        self._table = tbl

    def get(self, key):
        return self._table.get_item(Key=key)

    def add(self, item):
        self._table.put_item(Item=item)


class Orders(Repository):
    def __init__(self):
        super().__init__(table(os.environ.get("ORDERS_TABLE", "orders")))

    def open_orders(self):
        return self._table.query(IndexName="ByStatus", KeyConditionExpression="s = :s")


class Settings:
    table = table("app-settings")

    @classmethod
    def read(cls):
        return cls.table.scan()


def archive(repo_table, item):
    """A helper that receives a Table object."""
    repo_table.put_item(Item=item)
