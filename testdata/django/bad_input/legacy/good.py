import boto3

boto3.resource("dynamodb").Table("StillScanned").scan()
