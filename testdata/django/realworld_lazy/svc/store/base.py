from contextlib import contextmanager
from functools import partial

import boto3
from django.utils.functional import SimpleLazyObject

from svc.config import config

MAIN = SimpleLazyObject(lambda: boto3.resource("dynamodb").Table("Main"))


@contextmanager
def open_table(table_name):
    table = boto3.resource("dynamodb", region_name=config.region).Table(table_name)
    yield table


events_table = partial(open_table, table_name=config.events_table)
