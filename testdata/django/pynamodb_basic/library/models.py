from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.models import Model


class Book(Model):
    class Meta:
        table_name = "Books"
        region = "eu-west-1"

    isbn = UnicodeAttribute(hash_key=True)
    copies = NumberAttribute(default=0)


class Shelf:
    """Not a model: its get/save are not DynamoDB calls."""

    def get(self, key):
        return key

    def save(self):
        return None
