"""Settings for the shop project (production)."""
import os

BASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
DEBUG = False
ALLOWED_HOSTS = ["shop.example.com"]

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "orders",
    "catalog",
    "accounts",
]

AWS_REGION = os.environ.get("AWS_REGION", "eu-west-1")

# DynamoDB tables used by the apps.
ORDERS_TABLE = os.environ.get("ORDERS_TABLE", "shop-orders")
PRODUCTS_TABLE = "shop-products"
AUDIT_TABLE = os.getenv("AUDIT_TABLE")

SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
