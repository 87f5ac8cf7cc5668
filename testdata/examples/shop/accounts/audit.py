"""Writes an audit trail of sign-ins through the low-level client."""
import time

import boto3
from django.conf import settings

client = boto3.client("dynamodb", region_name=settings.AWS_REGION)


def record_sign_in(user_id):
    client.put_item(
        TableName=settings.AUDIT_TABLE,
        Item={"user_id": {"S": user_id}, "at": {"N": str(int(time.time()))}},
    )
