"""A session store in the style of the public DynamoDB session backends."""
import functools

from boto3.session import Session as Boto3Session
from django.conf import settings

TABLE_NAME = getattr(settings, "SESSION_TABLE", "sessions")
AUDIT_TABLE = getattr(settings, "AUDIT_TABLE", "session-audit")
_CONN = None


def connection():
    global _CONN
    if _CONN is None:
        _CONN = Boto3Session(region_name="eu-west-1").resource("dynamodb")
    return _CONN


@functools.lru_cache(maxsize=None)
def low_level():
    return Boto3Session().client("dynamodb")


class SessionStore:
    def __init__(self, key=None):
        self.key = key
        self._table = None

    @property
    def table(self):
        if self._table is None:
            self._table = connection().Table(TABLE_NAME)
        return self._table

    def load(self):
        return self.table.get_item(Key={"k": self.key})

    def save(self):
        self.table.put_item(Item={"k": self.key})
        low_level().put_item(TableName=AUDIT_TABLE, Item={})

    def delete(self):
        self.table.delete_item(
            Key={"k": self.key},
        )
