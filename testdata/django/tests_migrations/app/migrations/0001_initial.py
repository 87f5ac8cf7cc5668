import boto3


def forwards(apps, schema_editor):
    boto3.client("dynamodb").create_table(TableName="Live", KeySchema=[])
