#!/usr/bin/env python3
# Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
#
# Writes fixtures.json: one CloudTrail record per DynamoDB event shape the
# catalog knows, each with the exact IAM requests it must map to (or why it
# cannot be mapped). The records follow the documented record format:
#   https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
#   https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html
#   https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/understanding-ddb-log-entries.html
# Request parameters use the documented camelCase spelling of the API's
# parameters (the page's PutItem, UpdateItem, TransactWriteItems,
# ExecuteStatement and BatchExecuteStatement examples); for events the page
# does not show, the parameters of the DynamoDB API reference for that
# operation, in the same spelling. Run: python3 gen_fixtures.py > fixtures.json
import json
import sys

ACCOUNT = "111122223333"
REGION = "eu-west-1"
T = "arn:aws:dynamodb:eu-west-1:111122223333:table/"
ROLE = "arn:aws:iam::111122223333:role/service/app"
SESSION = "arn:aws:sts::111122223333:assumed-role/app/i-0123456789abcdef0"
TIME = "2024-05-06T10:15:00Z"
LOG_PAGE = ("https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/"
            "understanding-ddb-log-entries.html")


def record(event, params, resources=None, **extra):
    r = {
        "eventVersion": "1.08",
        "userIdentity": {
            "type": "AssumedRole",
            "principalId": "AROAEXAMPLEID:i-0123456789abcdef0",
            "arn": SESSION,
            "accountId": ACCOUNT,
            "accessKeyId": "ASIAEXAMPLEKEY",
            "sessionContext": {
                "sessionIssuer": {
                    "type": "Role",
                    "principalId": "AROAEXAMPLEID",
                    "arn": ROLE,
                    "accountId": ACCOUNT,
                    "userName": "app",
                },
                "attributes": {
                    "creationDate": "2024-05-06T09:00:00Z",
                    "mfaAuthenticated": "false",
                },
            },
        },
        "eventTime": TIME,
        "eventSource": "dynamodb.amazonaws.com",
        "eventName": event,
        "awsRegion": REGION,
        "sourceIPAddress": "192.0.2.10",
        "userAgent": "Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0 os/linux",
        "requestParameters": params,
        "responseElements": None,
        "requestID": "EXAMPLEREQUESTID",
        "eventID": "00000000-0000-4000-8000-000000000000",
        "readOnly": False,
        "eventType": "AwsApiCall",
        "apiVersion": "2012-08-10",
        "recipientAccountId": ACCOUNT,
        "tlsDetails": {
            "tlsVersion": "TLSv1.3",
            "cipherSuite": "TLS_AES_128_GCM_SHA256",
            "clientProvidedHostHeader": "dynamodb.eu-west-1.amazonaws.com",
        },
    }
    if resources is not None:
        r["resources"] = [{"accountId": ACCOUNT, "type": t, "ARN": a}
                          for t, a in resources]
    r.update(extra)
    return r


BASE_CONTEXT = {
    "aws:CurrentTime": TIME,
    "aws:EpochTime": "1714990500",
    "aws:MultiFactorAuthPresent": "false",
    "aws:PrincipalAccount": ACCOUNT,
    "aws:PrincipalArn": ROLE,
    "aws:PrincipalType": "AssumedRole",
    "aws:RequestedRegion": REGION,
    "aws:SecureTransport": "true",
    "aws:SourceIp": "192.0.2.10",
    "aws:TokenIssueTime": "2024-05-06T09:00:00Z",
    "aws:UserAgent": "Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0 os/linux",
    "aws:userid": "AROAEXAMPLEID:i-0123456789abcdef0",
}

fixtures = []


def add(name, rec, expected=None, unmapped=None, context=None, follows=None,
        dynamodb=True):
    f = {"name": name, "follows": follows or LOG_PAGE, "record": rec}
    if unmapped is not None:
        f["unmapped"] = unmapped
    elif dynamodb:
        f["requests"] = [{"action": "dynamodb:" + a, "resource": res}
                         for a, res in expected]
        if context:
            f["context"] = context
    else:
        f["dynamodb"] = False
    fixtures.append(f)


KEY = {"pk": "order#1", "sk": "line#1"}
CONSUMED = {"dynamodb:ReturnConsumedCapacity": "TOTAL"}
TABLE_RES = [("AWS::DynamoDB::Table", T + "Orders")]

# Item reads and writes (the page's PutItem and UpdateItem examples).
add("PutItem", record("PutItem", {"tableName": "Orders", "key": KEY,
    "item": ["pk", "sk", "total"], "returnConsumedCapacity": "TOTAL"},
    TABLE_RES, readOnly=False, managementEvent=False, eventCategory="Data"),
    [("PutItem", T + "Orders")], context=CONSUMED)
add("UpdateItem-failed", record("UpdateItem", {"tableName": "Orders",
    "key": KEY, "updateExpression": "SET #t = :t",
    "expressionAttributeNames": {"#t": "total"},
    "conditionExpression": "attribute_not_exists(#t)",
    "returnValues": "ALL_NEW"}, TABLE_RES,
    errorCode="ConditionalCheckFailedException",
    errorMessage="The conditional request failed"),
    [("UpdateItem", T + "Orders")], context={"dynamodb:ReturnValues": "ALL_NEW"})
add("GetItem", record("GetItem", {"tableName": "Orders", "key": KEY,
    "consistentRead": True}, TABLE_RES), [("GetItem", T + "Orders")])
add("DeleteItem", record("DeleteItem", {"tableName": "Orders", "key": KEY},
    TABLE_RES), [("DeleteItem", T + "Orders")])
add("Query-table", record("Query", {"tableName": "Orders",
    "keyConditionExpression": "pk = :pk", "select": "ALL_ATTRIBUTES"},
    TABLE_RES), [("Query", T + "Orders")],
    context={"dynamodb:Select": "ALL_ATTRIBUTES"})
add("Query-index", record("Query", {"tableName": "Orders",
    "indexName": "ByCustomer", "keyConditionExpression": "customer = :c"},
    TABLE_RES), [("Query", T + "Orders/index/ByCustomer")])
add("Scan", record("Scan", {"tableName": "Orders"}, TABLE_RES),
    [("Scan", T + "Orders")])
add("Scan-index", record("Scan", {"tableName": "Orders",
    "indexName": "ByCustomer"}, TABLE_RES),
    [("Scan", T + "Orders/index/ByCustomer")])
add("GetItem-table-arn", record("GetItem", {"tableName": T + "Orders",
    "key": KEY}), [("GetItem", T + "Orders")])

# Batches: one request per table.
add("BatchGetItem", record("BatchGetItem", {"requestItems": {
    "Orders": {"keys": [KEY]}, "Customers": {"keys": [{"pk": "c#1"}]}}},
    TABLE_RES + [("AWS::DynamoDB::Table", T + "Customers")]),
    [("BatchGetItem", T + "Orders"), ("BatchGetItem", T + "Customers")])
add("BatchWriteItem", record("BatchWriteItem", {"requestItems": {
    "Orders": [{"putRequest": {"item": ["pk", "sk"]}}],
    "Audit": [{"deleteRequest": {"key": {"pk": "a#1"}}}]}}),
    [("BatchWriteItem", T + "Orders"), ("BatchWriteItem", T + "Audit")])

# Transactions (the page's TransactWriteItems examples, with its mixed
# spellings of tableName / TableName).
TX_ITEMS = [
    {"operation": "Put", "tableName": "Orders", "key": KEY,
     "items": ["pk", "sk", "total"]},
    {"operation": "Update", "tableName": "Orders", "key": KEY,
     "updateExpression": "SET #t = :t"},
    {"operation": "Delete", "TableName": "Carts", "key": {"pk": "cart#1"}},
    {"operation": "ConditionCheck", "TableName": "Customers",
     "Key": {"pk": "c#1"}, "ConditionExpression": "attribute_exists(pk)"},
]
add("TransactWriteItems", record("TransactWriteItems", {
    "requestItems": TX_ITEMS, "returnConsumedCapacity": "TOTAL"}, TABLE_RES),
    [("PutItem", T + "Orders"), ("UpdateItem", T + "Orders"),
     ("DeleteItem", T + "Carts"), ("ConditionCheckItem", T + "Customers")],
    context=CONSUMED)
add("TransactWriteItems-canceled", record("TransactWriteItems", {
    "requestItems": TX_ITEMS[:2]}, TABLE_RES,
    errorCode="TransactionCanceledException",
    errorMessage="Transaction cancelled"),
    [("PutItem", T + "Orders"), ("UpdateItem", T + "Orders")])
add("TransactGetItems", record("TransactGetItems", {"requestItems": [
    {"operation": "Get", "tableName": "Orders", "key": KEY},
    {"operation": "Get", "tableName": "Customers", "key": {"pk": "c#1"}}]}),
    [("GetItem", T + "Orders"), ("GetItem", T + "Customers")])

# PartiQL (the page's ExecuteStatement and BatchExecuteStatement examples).
add("ExecuteStatement-select", record("ExecuteStatement", {"statement":
    "SELECT * FROM Orders WHERE pk = 'order#1' AND total = ***(Redacted)"},
    TABLE_RES), [("PartiQLSelect", T + "Orders")])
add("ExecuteStatement-select-index", record("ExecuteStatement", {"statement":
    "SELECT * FROM \"Orders\".\"ByCustomer\" WHERE customer = 'c#1'"}),
    [("PartiQLSelect", T + "Orders/index/ByCustomer")])
add("ExecuteStatement-delete", record("ExecuteStatement", {"statement":
    "delete from \"Orders\" where pk = 'order#1'"}),
    [("PartiQLDelete", T + "Orders")])
add("BatchExecuteStatement", record("BatchExecuteStatement", {"requestItems": [
    {"statement": "UPDATE Orders SET total = ***(Redacted) WHERE pk = 'o#1'"},
    {"statement": "INSERT INTO Audit VALUE {'pk' : ***(Redacted)}"}]},
    TABLE_RES), [("PartiQLUpdate", T + "Orders"), ("PartiQLInsert", T + "Audit")])
add("ExecuteTransaction", record("ExecuteTransaction", {"transactStatements": [
    {"statement": "INSERT INTO \"Orders\" VALUE {'pk' : ***(Redacted)}"},
    {"statement": "DELETE FROM \"Carts\" WHERE pk = 'cart#1'"}]}),
    [("PartiQLInsert", T + "Orders"), ("PartiQLDelete", T + "Carts")])
add("ExecuteStatement-unknown-verb", record("ExecuteStatement",
    {"statement": "EXPLAIN SELECT * FROM Orders"}),
    unmapped="PartiQL statement starts with \"EXPLAIN\", not SELECT, INSERT, "
             "UPDATE or DELETE")

# Control plane on a table (the page's UpdateTable and DeleteTable
# examples; the others take tableName the same way).
for event in ["CreateTable", "DeleteTable", "DescribeTable", "UpdateTable",
              "DescribeTimeToLive", "UpdateTimeToLive",
              "DescribeContinuousBackups", "UpdateContinuousBackups",
              "CreateBackup", "DescribeKinesisStreamingDestination",
              "EnableKinesisStreamingDestination",
              "DisableKinesisStreamingDestination",
              "UpdateKinesisStreamingDestination",
              "DescribeTableReplicaAutoScaling",
              "UpdateTableReplicaAutoScaling", "CreateTableReplica",
              "DeleteTableReplica", "AssociateTableReplica",
              "CreateGlobalTableWitness", "DeleteGlobalTableWitness",
              "ReplicateSettings", "ReadDataForReplication",
              "WriteDataForReplication", "StartAwsBackupJob"]:
    add(event, record(event, {"tableName": "Orders"}),
        [(event, T + "Orders")])
add("DescribeContributorInsights-index", record("DescribeContributorInsights",
    {"tableName": "Orders", "indexName": "ByCustomer"}),
    [("DescribeContributorInsights", T + "Orders/index/ByCustomer")])
add("UpdateContributorInsights", record("UpdateContributorInsights",
    {"tableName": "Orders", "contributorInsightsAction": "ENABLE"}),
    [("UpdateContributorInsights", T + "Orders")])
add("SearchVectors-index", record("SearchVectors",
    {"tableName": "Orders", "indexName": "Embeddings"}),
    [("SearchVectors", T + "Orders/index/Embeddings")])
add("ExportTableToPointInTime", record("ExportTableToPointInTime",
    {"tableArn": T + "Orders", "s3Bucket": "exports"}),
    [("ExportTableToPointInTime", T + "Orders")])
add("ImportTable", record("ImportTable", {"tableCreationParameters":
    {"tableName": "Imported"}, "inputFormat": "CSV"}),
    [("ImportTable", T + "Imported")])

# Backups, exports, imports.
BACKUP = T + "Orders/backup/01714990000000-abcdefgh"
add("DescribeBackup", record("DescribeBackup", {"backupArn": BACKUP}),
    [("DescribeBackup", BACKUP)])
add("DeleteBackup", record("DeleteBackup", {"backupArn": BACKUP}),
    [("DeleteBackup", BACKUP)])
add("RestoreTableFromBackup", record("RestoreTableFromBackup",
    {"backupArn": BACKUP, "targetTableName": "OrdersRestored"}),
    [("RestoreTableFromBackup", BACKUP),
     ("RestoreTableFromBackup", T + "OrdersRestored")])
add("RestoreTableToPointInTime", record("RestoreTableToPointInTime",
    {"sourceTableName": "Orders", "targetTableName": "OrdersRestored"}),
    [("RestoreTableToPointInTime", T + "OrdersRestored")])
add("RestoreTableFromAwsBackup", record("RestoreTableFromAwsBackup",
    {"targetTableName": "OrdersRestored"}),
    [("RestoreTableFromAwsBackup", T + "OrdersRestored")])
EXPORT = T + "Orders/export/01714990000000-abcdefgh"
IMPORT = T + "Imported/import/01714990000000-abcdefgh"
add("DescribeExport", record("DescribeExport", {"exportArn": EXPORT}),
    [("DescribeExport", EXPORT)])
add("DescribeImport", record("DescribeImport", {"importArn": IMPORT}),
    [("DescribeImport", IMPORT)])
add("ListExports-table", record("ListExports", {"tableArn": T + "Orders"}),
    [("ListExports", T + "Orders")])
add("ListExports", record("ListExports", {}), [("ListExports", "*")])
add("ListImports", record("ListImports", {}), [("ListImports", "*")])

# Tags and resource policies on a table or a stream.
STREAM = T + "Orders/stream/2024-05-01T00:00:00.000"
for event in ["TagResource", "UntagResource", "ListTagsOfResource",
              "PutResourcePolicy", "GetResourcePolicy",
              "DeleteResourcePolicy"]:
    add(event, record(event, {"resourceArn": T + "Orders"}),
        [(event, T + "Orders")])
add("GetResourcePolicy-stream", record("GetResourcePolicy",
    {"resourceArn": STREAM}), [("GetResourcePolicy", STREAM)])

# Global tables (version 2017.11.29).
G = "arn:aws:dynamodb::111122223333:global-table/Orders"
for event in ["CreateGlobalTable", "DescribeGlobalTable",
              "DescribeGlobalTableSettings", "UpdateGlobalTable",
              "UpdateGlobalTableSettings"]:
    add(event, record(event, {"globalTableName": "Orders"}), [(event, G)])
add("UpdateGlobalTableVersion", record("UpdateGlobalTableVersion",
    {"tableName": "Orders"}), [("UpdateGlobalTableVersion", T + "Orders")])

# DynamoDB Streams: the stream ARN from requestParameters, or for
# GetRecords (whose shard iterator is opaque) from resources[].
add("DescribeStream", record("DescribeStream", {"streamArn": STREAM}),
    [("DescribeStream", STREAM)])
add("GetShardIterator", record("GetShardIterator", {"streamArn": STREAM,
    "shardId": "shardId-00000001714990000000-abcdef01",
    "shardIteratorType": "TRIM_HORIZON"}), [("GetShardIterator", STREAM)])
add("GetRecords", record("GetRecords", {"shardIterator": "arn:aws:dynamodb:"
    "eu-west-1:111122223333:table/Orders/stream/2024-05-01T00:00:00.000|1|AAAA",
    "limit": 100}, [("AWS::DynamoDB::Stream", STREAM)]),
    [("GetRecords", STREAM)])
add("GetRecords-no-resources", record("GetRecords", {"shardIterator":
    "opaque"}), unmapped="no stream in requestParameters or resources[]")
add("ListStreams", record("ListStreams", {"tableName": "Orders"}),
    [("ListStreams", "*")])

# Wildcard-only actions: Resource "*".
for event in ["ListTables", "ListBackups", "ListGlobalTables",
              "ListContributorInsights", "DescribeLimits",
              "DescribeEndpoints", "DescribeReservedCapacity",
              "DescribeReservedCapacityOfferings",
              "PurchaseReservedCapacityOfferings", "GetAbacStatus",
              "UpdateAbacStatus", "InjectError"]:
    add(event, record(event, None), [(event, "*")])

# Records that do not map, and records that are not DynamoDB events.
add("unknown-event", record("DescribeEverything", {"tableName": "Orders"}),
    unmapped="\"DescribeEverything\" is not a DynamoDB action")
add("no-table", record("GetItem", {"key": KEY}),
    unmapped="no table in requestParameters or resources[]")
service = record("DeleteItem", {"tableName": "Orders", "key": KEY})
service["userIdentity"] = {"type": "AWSService",
                           "principalId": "dynamodb.amazonaws.com",
                           "invokedBy": "dynamodb.amazonaws.com"}
add("ttl-delete-by-service", service,
    unmapped="the caller is an AWS service (dynamodb.amazonaws.com), not a "
             "principal policies apply to")
dax = record("CreateCluster", {"clusterName": "daxcluster"})
dax["eventSource"] = "dax.amazonaws.com"
add("dax-is-not-dynamodb", dax, dynamodb=False)

# An IAM user through a VPC endpoint (userIdentity with IAM user
# credentials, and vpcEndpointId, from the CloudTrail pages).
user = record("GetItem", {"tableName": "Orders", "key": KEY}, TABLE_RES,
              vpcEndpointId="vpce-0abc1234def567890")
user["userIdentity"] = {"type": "IAMUser", "principalId": "AIDAEXAMPLEUSER",
                        "arn": "arn:aws:iam::111122223333:user/Alice",
                        "accountId": ACCOUNT, "accessKeyId": "AKIAEXAMPLE",
                        "userName": "Alice"}
del user["tlsDetails"]
fixtures.append({
    "name": "iam-user-through-vpc-endpoint",
    "follows": "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/"
               "cloudtrail-event-reference-user-identity.html",
    "record": user,
    "requests": [{"action": "dynamodb:GetItem", "resource": T + "Orders"}],
    "principal": "arn:aws:iam::111122223333:user/Alice",
    "principal_arn": "arn:aws:iam::111122223333:user/Alice",
    "exact_context": {
        "aws:CurrentTime": TIME,
        "aws:EpochTime": "1714990500",
        "aws:PrincipalAccount": ACCOUNT,
        "aws:PrincipalArn": "arn:aws:iam::111122223333:user/Alice",
        "aws:PrincipalType": "User",
        "aws:RequestedRegion": REGION,
        "aws:SourceVpce": "vpce-0abc1234def567890",
        "aws:UserAgent": BASE_CONTEXT["aws:UserAgent"],
        "aws:VpcSourceIp": "192.0.2.10",
        "aws:userid": "AIDAEXAMPLEUSER",
        "aws:username": "Alice",
    },
})

json.dump({
    "about": "CloudTrail records of every DynamoDB event shape, with the "
             "IAM requests each maps to; generated by gen_fixtures.py",
    "account": ACCOUNT,
    "principal": SESSION,
    "principal_arn": ROLE,
    "base_context": BASE_CONTEXT,
    "fixtures": fixtures,
}, sys.stdout, indent=1)
sys.stdout.write("\n")
