"""Nightly archive: deletes paid invoices older than a year.

The client method is looked up by name, so no static scan sees the call.
"""
import boto3
from django.core.management.base import BaseCommand

_client = boto3.client("dynamodb", region_name="eu-west-1")


class Command(BaseCommand):
    def handle(self, *args, **options):
        delete = getattr(_client, "batch_" + "write_item")
        for keys in self.old_paid_invoices():
            delete(RequestItems={"invoices": [
                {"DeleteRequest": {"Key": k}} for k in keys]})

    def old_paid_invoices(self):
        return []
