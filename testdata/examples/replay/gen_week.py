#!/usr/bin/env python3
# Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
#
# Writes cloudtrail/: a synthetic week (2024-05-06 to 2024-05-12) of the
# CloudTrail records the invoices app leaves, one S3-style log file a day,
# in the documented record format (see ../../cloudtrail/gen_fixtures.py for
# the pages it follows): the web app's GetItem, Query on ByCustomer and
# PutItem calls, and each night the archive command's BatchWriteItem.
import json
import os

ROLE = "arn:aws:iam::111122223333:role/invoices-app"
here = os.path.dirname(os.path.abspath(__file__))


def record(day, hour, minute, event, params, n):
    session = "web-%d" % (n % 3) if event != "BatchWriteItem" else "cron"
    return {
        "eventVersion": "1.09",
        "userIdentity": {
            "type": "AssumedRole",
            "principalId": "AROAEXAMPLEINVOICES:" + session,
            "arn": "arn:aws:sts::111122223333:assumed-role/invoices-app/" + session,
            "accountId": "111122223333",
            "sessionContext": {
                "sessionIssuer": {"type": "Role", "principalId": "AROAEXAMPLEINVOICES",
                                  "arn": ROLE, "accountId": "111122223333",
                                  "userName": "invoices-app"},
                "attributes": {"creationDate": "2024-05-%02dT00:00:00Z" % day,
                               "mfaAuthenticated": "false"}}},
        "eventTime": "2024-05-%02dT%02d:%02d:00Z" % (day, hour, minute),
        "eventSource": "dynamodb.amazonaws.com",
        "eventName": event,
        "awsRegion": "eu-west-1",
        "sourceIPAddress": "10.0.1.%d" % (10 + n % 20),
        "userAgent": "Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0 os/linux",
        "requestParameters": params,
        "responseElements": None,
        "requestID": "REQ%06d" % n,
        "eventID": "00000000-0000-4000-8000-%012d" % n,
        "readOnly": event in ("GetItem", "Query"),
        "resources": [{"accountId": "111122223333", "type": "AWS::DynamoDB::Table",
                       "ARN": "arn:aws:dynamodb:eu-west-1:111122223333:table/invoices"}],
        "eventType": "AwsApiCall",
        "apiVersion": "2012-08-10",
        "managementEvent": False,
        "recipientAccountId": "111122223333",
        "eventCategory": "Data",
        "tlsDetails": {"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256",
                       "clientProvidedHostHeader": "dynamodb.eu-west-1.amazonaws.com"},
    }


n = 0
os.makedirs(os.path.join(here, "cloudtrail"), exist_ok=True)
for day in range(6, 13):
    records = []
    for hour in range(8, 20):
        for event, params in [
            ("GetItem", {"tableName": "invoices", "key": {"invoice_id": "i-%d" % n}}),
            ("Query", {"tableName": "invoices", "indexName": "ByCustomer",
                       "keyConditionExpression": "customer_id = :c"}),
            ("PutItem", {"tableName": "invoices", "key": {"invoice_id": "i-%d" % n},
                         "item": ["invoice_id", "customer_id", "total"]}),
        ]:
            records.append(record(day, hour, (n * 7) % 60, event, params, n))
            n += 1
    records.append(record(day, 2, 30, "BatchWriteItem", {"requestItems": {
        "invoices": [{"deleteRequest": {"key": {"invoice_id": "i-old"}}}]}}, n))
    n += 1
    name = "111122223333_CloudTrail_eu-west-1_202405%02dT0000Z.json" % day
    with open(os.path.join(here, "cloudtrail", name), "w") as f:
        json.dump({"Records": records}, f, indent=1)
        f.write("\n")
