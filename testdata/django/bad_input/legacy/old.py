import boto3


def main():
    print "hello"
