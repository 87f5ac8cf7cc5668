from django.core.management.base import BaseCommand

from catalog.models import Product


class Command(BaseCommand):
    def handle(self, *args, **options):
        if not Product.exists():
            Product.create_table(read_capacity_units=1, write_capacity_units=1, wait=True)
        Product.describe_table()

    def drop(self):
        Product.delete_table()
