"""The product catalogue, stored with PynamoDB."""
from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model


class CategoryIndex(GlobalSecondaryIndex):
    class Meta:
        index_name = "ByCategory"
        projection = AllProjection()

    category = UnicodeAttribute(hash_key=True)


class Product(Model):
    class Meta:
        table_name = "shop-products"
        region = "eu-west-1"

    sku = UnicodeAttribute(hash_key=True)
    name = UnicodeAttribute()
    category = UnicodeAttribute()
    price_cents = NumberAttribute()

    by_category = CategoryIndex()
