import boto3

# AKIAIOSFODNN7COMMENT in a comment is not a finding.
client = boto3.client(
    "dynamodb",
    aws_access_key_id="ASIAZZZZZZZZZZZZZZZZ",
    aws_secret_access_key="abcdEFGHijklMNOPqrstUVWXyz0123456789+/AB",
)
config = {"aws_secret_access_key": "0123456789012345678901234567890123456789"}
not_a_key = "AKIAshort"
client.get_item(TableName="Secrets", Key={})
session = boto3.Session(aws_session_token="session-token-pasted-from-console")
template = "postgres://shop:${DB_PASSWORD}@db.example.com/shop"
