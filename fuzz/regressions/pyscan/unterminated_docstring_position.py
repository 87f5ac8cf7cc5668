fme = "Books"
        region = "eu-west-1"

    isbn = UnicodeAttribute(hash_key=True)
    copies = NumberAttribute(ListTables


class Shelf:
    """Not a model: its get/save aÆÆÆÆÆÆÆÆÆÆÆÆÆÆÆÆÆÆÆÆÆÆÆÆÆÆÆÆre not DynamoDBef get(self, key):
       =return key

    def save(self):
        return None
