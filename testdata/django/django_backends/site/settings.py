import os

DEBUG = os.environ.get("DJANGO_DEBUG") == "1"
SESSION_ENGINE = "dynamodb_sessions.backends.dynamodb"
DYNAMODB_SESSIONS_TABLE_NAME = os.environ.get("SESSIONS_TABLE", "web-sessions")

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    },
    "shared": {
        "BACKEND": "site.cache_backends.DynamoDBCache",
        "LOCATION": "web-cache",
    },
    "options": {
        "BACKEND": "dynamodb_cache.backend.DynamoDbCache",
        "OPTIONS": {"table_name": "web-cache-2"},
    },
}
