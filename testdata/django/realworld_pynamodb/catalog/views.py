from catalog.models import Category, DEFAULT_PRODUCT, Event, Product


def detail(sku):
    Category.objects.get(name="x")
    product = Product.by_key(sku)
    product.save()
    cheap = list(Product.by_price.query(1))
    DEFAULT_PRODUCT.get("default")
    return Product.count(sku), Product.count(), cheap


def events():
    Event.bind(Event, "events-2024")
    for event in Event.scan():
        event.delete()
