DEBUG = True
# Development settings may hold a key; a local database is a lesser finding.
SECRET_KEY = "dev-only-k3y-0123456789abcdef"
DATABASE_URL = "postgres://postgres:postgres@localhost:5432/shop"
