import os

from pynamodb.indexes import AllProjection, GlobalSecondaryIndex, LocalSecondaryIndex
from pynamodb.models import Model


class BaseModel(Model):
    """Intermediate base shared by the store's models."""

    class Meta:
        abstract = True


class StatusIndex(GlobalSecondaryIndex):
    class Meta:
        index_name = "status-index"
        projection = AllProjection()


class DateIndex(LocalSecondaryIndex):
    class Meta:
        projection = AllProjection()


class Order(BaseModel):
    class Meta:
        table_name = os.environ.get("ORDERS_TABLE", "store-orders")

    by_status = StatusIndex()
    by_date = DateIndex()


class Customer(BaseModel):
    class Meta:
        table_name = "store-customers"
