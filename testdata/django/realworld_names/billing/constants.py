from django.conf import settings

PREFIX = settings.STAGE
LEDGER = f"{PREFIX}-ledger"
