from django.db import models
from pynamodb import models as pynamo_models
from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex


class Category(models.Model):
    """A Django model: its get/save are the database's, not DynamoDB's."""

    name = models.CharField(max_length=20)


class BaseItem(pynamo_models.Model):
    class Meta:
        abstract = True

    @classmethod
    def by_key(cls, key):
        return cls.get(key)


class ByPrice(GlobalSecondaryIndex["Product"]):
    class Meta:
        index_name = "by-price"
        projection = AllProjection()

    price = NumberAttribute(hash_key=True)


class Product(BaseItem):
    class Meta:
        table_name = "products"

    sku = UnicodeAttribute(hash_key=True)
    price = NumberAttribute(default=0)
    by_price = ByPrice()

    def save(self, *args, **kwargs):
        self.price = self.price or 0
        return super().save(*args, **kwargs)


class Event(pynamo_models.Model):
    class Meta:
        table_name = None

    id = UnicodeAttribute(hash_key=True)

    @staticmethod
    def bind(model, name):
        model.Meta.table_name = name


DEFAULT_PRODUCT = Product("default")
