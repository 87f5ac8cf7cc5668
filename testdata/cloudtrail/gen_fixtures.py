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


def request(action, resource, context=None, unknown=None):
    """One expected request: its own item-level keys (context) and the keys
    the record cannot tell (unknown: key -> why)."""
    r = {"action": "dynamodb:" + action, "resource": resource}
    if context:
        r["context"] = context
    if unknown:
        r["unknown_keys"] = unknown
    return r


def add(name, rec, expected=None, unmapped=None, context=None, follows=None,
        dynamodb=True, partition_keys=None):
    f = {"name": name, "follows": follows or LOG_PAGE, "record": rec}
    if partition_keys:
        f["partition_keys"] = partition_keys
    if unmapped is not None:
        f["unmapped"] = unmapped
    elif dynamodb:
        f["requests"] = [e if isinstance(e, dict) else request(*e)
                         for e in expected]
        if context:
            f["context"] = context
    else:
        f["dynamodb"] = False
    fixtures.append(f)


# Item-level keys (dynamodb:LeadingKeys, dynamodb:Attributes), read from the
# key values and attribute names a record shows. The partition key is known
# from a one-attribute key, a key condition of one comparison, or the
# partition keys given; otherwise the record does not tell it.
LK = "dynamodb:LeadingKeys"
ATTRS = "dynamodb:Attributes"
FGAC_PAGE = ("https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/"
             "specifying-conditions.html")


def pk_unknown(schema, why):
    return {LK: 'the partition key of "%s" is not known (%s; give it with '
                '--partition-key %s=NAME)' % (schema, why, schema)}


ORDERS_PK = pk_unknown("Orders", "the key has pk, sk")
UPDATE_ATTRS = {ATTRS: "the attributes an update names are not read from "
                       "the record"}
PARTIQL = "PartiQL statements are not read for keys and attribute names"
PARTIQL_UNKNOWN = {LK: PARTIQL, ATTRS: PARTIQL}


KEY = {"pk": "order#1", "sk": "line#1"}
CONSUMED = {"dynamodb:ReturnConsumedCapacity": "TOTAL"}
TABLE_RES = [("AWS::DynamoDB::Table", T + "Orders")]

# Item reads and writes (the page's PutItem and UpdateItem examples).
add("PutItem", record("PutItem", {"tableName": "Orders", "key": KEY,
    "item": ["pk", "sk", "total"], "returnConsumedCapacity": "TOTAL"},
    TABLE_RES, readOnly=False, managementEvent=False, eventCategory="Data"),
    [("PutItem", T + "Orders", {ATTRS: ["pk", "sk", "total"]}, ORDERS_PK)],
    context=CONSUMED)
add("UpdateItem-failed", record("UpdateItem", {"tableName": "Orders",
    "key": KEY, "updateExpression": "SET #t = :t",
    "expressionAttributeNames": {"#t": "total"},
    "conditionExpression": "attribute_not_exists(#t)",
    "returnValues": "ALL_NEW"}, TABLE_RES,
    errorCode="ConditionalCheckFailedException",
    errorMessage="The conditional request failed"),
    [("UpdateItem", T + "Orders", None, {**ORDERS_PK, **UPDATE_ATTRS})],
    context={"dynamodb:ReturnValues": "ALL_NEW"})
add("GetItem", record("GetItem", {"tableName": "Orders", "key": KEY,
    "consistentRead": True}, TABLE_RES),
    [("GetItem", T + "Orders", None, ORDERS_PK)])
add("DeleteItem", record("DeleteItem", {"tableName": "Orders", "key": KEY},
    TABLE_RES), [("DeleteItem", T + "Orders", None, ORDERS_PK)])
add("Query-table", record("Query", {"tableName": "Orders",
    "keyConditionExpression": "pk = :pk", "select": "ALL_ATTRIBUTES"},
    TABLE_RES), [("Query", T + "Orders", None, {LK: "the record shows no "
    "value of :pk (expressionAttributeValues) for the partition key \"pk\""})],
    context={"dynamodb:Select": "ALL_ATTRIBUTES"})
add("Query-index", record("Query", {"tableName": "Orders",
    "indexName": "ByCustomer", "keyConditionExpression": "customer = :c"},
    TABLE_RES), [("Query", T + "Orders/index/ByCustomer", None, {LK: "the "
    "record shows no value of :c (expressionAttributeValues) for the "
    "partition key \"customer\""})])
add("Scan", record("Scan", {"tableName": "Orders"}, TABLE_RES),
    [("Scan", T + "Orders")])
add("Scan-index", record("Scan", {"tableName": "Orders",
    "indexName": "ByCustomer"}, TABLE_RES),
    [("Scan", T + "Orders/index/ByCustomer")])
add("GetItem-table-arn", record("GetItem", {"tableName": T + "Orders",
    "key": KEY}), [("GetItem", T + "Orders", None, ORDERS_PK)])

# Item-level keys with the partition key known: from the partition keys
# given (--partition-key), a one-attribute key, or a Query's key condition
# with its values (the parameters of the GetItem, Query, BatchGetItem and
# PutItem API references, in the log page's spelling; the keys as the
# fine-grained access control page describes them).
add("GetItem-partition-key-given", record("GetItem", {"tableName": "Orders",
    "key": KEY}, TABLE_RES), [("GetItem", T + "Orders", {LK: ["order#1"]})],
    follows=FGAC_PAGE, partition_keys={"Orders": "pk"})
add("Query-key-condition-values", record("Query", {"tableName": "Orders",
    "keyConditionExpression": "#t = :t AND begins_with(sk, :s)",
    "expressionAttributeNames": {"#t": "tenant", "#a": "total"},
    "expressionAttributeValues": {":t": {"S": "acme"}, ":s": {"S": "order#"}},
    "projectionExpression": "#t, #a.amount, lines[0]",
    "select": "SPECIFIC_ATTRIBUTES"}, TABLE_RES),
    [("Query", T + "Orders", {LK: ["acme"],
                              ATTRS: ["lines", "tenant", "total"]})],
    context={"dynamodb:Select": "SPECIFIC_ATTRIBUTES"}, follows=FGAC_PAGE,
    partition_keys={"Orders": "tenant"})
add("Query-key-condition-unknown-partition-key", record("Query", {
    "tableName": "Orders", "keyConditionExpression": "pk = :p AND sk > :s",
    "expressionAttributeValues": {":p": "order#1", ":s": "line#0"}},
    TABLE_RES), [("Query", T + "Orders", None, pk_unknown(
        "Orders", "the key condition compares several attributes"))],
    follows=FGAC_PAGE)
add("Query-index-partition-key-given", record("Query", {"tableName": "Orders",
    "indexName": "ByCustomer",
    "keyConditionExpression": "customer = :c AND created > :d",
    "expressionAttributeValues": {":c": "c#1", ":d": "2024-01-01"}},
    TABLE_RES), [("Query", T + "Orders/index/ByCustomer", {LK: ["c#1"]})],
    follows=FGAC_PAGE, partition_keys={"Orders/index/ByCustomer": "customer"})
add("Query-legacy-key-conditions", record("Query", {"tableName": "Tenants",
    "keyConditions": {"tenant": {"comparisonOperator": "EQ",
                                 "attributeValueList": [{"S": "acme"}]}}}),
    [("Query", T + "Tenants", {LK: ["acme"]})], follows=FGAC_PAGE)
add("BatchGetItem-per-item", record("BatchGetItem", {"requestItems": {
    "Customers": {"keys": [{"pk": "c#1"}, {"pk": "c#2"}, {"pk": "c#1"}],
                  "projectionExpression": "pk, email"}}}),
    [("BatchGetItem", T + "Customers", {LK: ["c#1"], ATTRS: ["email", "pk"]}),
     ("BatchGetItem", T + "Customers", {LK: ["c#2"], ATTRS: ["email", "pk"]})],
    follows=FGAC_PAGE)
add("PutItem-one-attribute-key", record("PutItem", {"tableName": "Tenants",
    "key": {"tenant": "acme"}, "item": ["tenant", "plan"],
    "returnValues": "ALL_OLD"}),
    [("PutItem", T + "Tenants", {LK: ["acme"], ATTRS: ["plan", "tenant"]})],
    context={"dynamodb:ReturnValues": "ALL_OLD"}, follows=FGAC_PAGE)
add("GetItem-attributes-to-get", record("GetItem", {"tableName": "Customers",
    "key": {"pk": {"S": "c#1"}}, "attributesToGet": ["email"]}),
    [("GetItem", T + "Customers", {LK: ["c#1"], ATTRS: ["email"]})],
    follows=FGAC_PAGE)

# Batches: one request per table and item keys.
add("BatchGetItem", record("BatchGetItem", {"requestItems": {
    "Orders": {"keys": [KEY]}, "Customers": {"keys": [{"pk": "c#1"}]}}},
    TABLE_RES + [("AWS::DynamoDB::Table", T + "Customers")]),
    [("BatchGetItem", T + "Orders", None, ORDERS_PK),
     ("BatchGetItem", T + "Customers", {LK: ["c#1"]})])
add("BatchWriteItem", record("BatchWriteItem", {"requestItems": {
    "Orders": [{"putRequest": {"item": ["pk", "sk"]}}],
    "Audit": [{"deleteRequest": {"key": {"pk": "a#1"}}}]}}),
    [("BatchWriteItem", T + "Orders", {ATTRS: ["pk", "sk"]},
      {LK: "the record shows the names of the item's attributes, not their "
           "values"}),
     ("BatchWriteItem", T + "Audit", {LK: ["a#1"]})])

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
    [("PutItem", T + "Orders", {ATTRS: ["pk", "sk", "total"]}, ORDERS_PK),
     ("UpdateItem", T + "Orders", None, {**ORDERS_PK, **UPDATE_ATTRS}),
     ("DeleteItem", T + "Carts", {LK: ["cart#1"]}),
     ("ConditionCheckItem", T + "Customers", {LK: ["c#1"]})],
    context=CONSUMED)
add("TransactWriteItems-canceled", record("TransactWriteItems", {
    "requestItems": TX_ITEMS[:2]}, TABLE_RES,
    errorCode="TransactionCanceledException",
    errorMessage="Transaction cancelled"),
    [("PutItem", T + "Orders", {ATTRS: ["pk", "sk", "total"]}, ORDERS_PK),
     ("UpdateItem", T + "Orders", None, {**ORDERS_PK, **UPDATE_ATTRS})])
add("TransactGetItems", record("TransactGetItems", {"requestItems": [
    {"operation": "Get", "tableName": "Orders", "key": KEY},
    {"operation": "Get", "tableName": "Customers", "key": {"pk": "c#1"}}]}),
    [("GetItem", T + "Orders", None, ORDERS_PK),
     ("GetItem", T + "Customers", {LK: ["c#1"]})])

# PartiQL (the page's ExecuteStatement and BatchExecuteStatement examples).
add("ExecuteStatement-select", record("ExecuteStatement", {"statement":
    "SELECT * FROM Orders WHERE pk = 'order#1' AND total = ***(Redacted)"},
    TABLE_RES), [("PartiQLSelect", T + "Orders", None, PARTIQL_UNKNOWN)])
add("ExecuteStatement-select-index", record("ExecuteStatement", {"statement":
    "SELECT * FROM \"Orders\".\"ByCustomer\" WHERE customer = 'c#1'"}),
    [("PartiQLSelect", T + "Orders/index/ByCustomer", None, PARTIQL_UNKNOWN)])
add("ExecuteStatement-delete", record("ExecuteStatement", {"statement":
    "delete from \"Orders\" where pk = 'order#1'"}),
    [("PartiQLDelete", T + "Orders", None, PARTIQL_UNKNOWN)])
add("BatchExecuteStatement", record("BatchExecuteStatement", {"requestItems": [
    {"statement": "UPDATE Orders SET total = ***(Redacted) WHERE pk = 'o#1'"},
    {"statement": "INSERT INTO Audit VALUE {'pk' : ***(Redacted)}"}]},
    TABLE_RES), [("PartiQLUpdate", T + "Orders", None, PARTIQL_UNKNOWN),
                 ("PartiQLInsert", T + "Audit", None, PARTIQL_UNKNOWN)])
add("ExecuteTransaction", record("ExecuteTransaction", {"transactStatements": [
    {"statement": "INSERT INTO \"Orders\" VALUE {'pk' : ***(Redacted)}"},
    {"statement": "DELETE FROM \"Carts\" WHERE pk = 'cart#1'"}]}),
    [("PartiQLInsert", T + "Orders", None, PARTIQL_UNKNOWN),
     ("PartiQLDelete", T + "Carts", None, PARTIQL_UNKNOWN)])
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
    "requests": [request("GetItem", T + "Orders", None, ORDERS_PK)],
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
