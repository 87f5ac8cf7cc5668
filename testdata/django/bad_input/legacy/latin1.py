import boto3
# café
z = 2
