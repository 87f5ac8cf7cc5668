import boto3

client = boto3.client("dynamodb")
ACCOUNTS = "Accounts"


def transfer(src, dst, items):
    client.transact_write_items(
        TransactItems=[
            {"Update": {"TableName": ACCOUNTS, "Key": {}, "UpdateExpression": "x"}},
            {"Update": {"TableName": ACCOUNTS, "Key": {}}},
            {"Put": {"TableName": "Transfers", "Item": {}}},
            {"ConditionCheck": {"TableName": "Limits", "Key": {}}},
            {"Delete": {"TableName": "Holds", "Key": {}}},
        ]
    )
    client.transact_write_items(TransactItems=items)
    client.transact_get_items(
        TransactItems=[{"Get": {"TableName": ACCOUNTS, "Key": {}}},
                       {"Get": {"TableName": "Transfers", "Key": {}}}])
    ops = [{"Put": {"TableName": "Journal", "Item": {}}}]
    client.transact_write_items(TransactItems=ops)
