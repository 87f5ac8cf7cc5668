DEBUG = True
AWS_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"
AWS_SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
SECRET_KEY = "django-insecure-fixture-k3y!not-a-real-one(0123456789)"
DATABASE_URL = "postgres://shop:s3cr3t-pw@db.example.com:5432/shop"


def configure():
    SECRET_KEY = "a-local-name-in-a-function-0123456789"
    return SECRET_KEY
