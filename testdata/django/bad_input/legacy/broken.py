import boto3

def f(:
    pass
