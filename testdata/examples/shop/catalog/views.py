from django.http import Http404, JsonResponse

from .models import Product


def product_detail(request, sku):
    try:
        product = Product.get(sku)
    except Product.DoesNotExist:
        raise Http404("no such product")
    return JsonResponse({"sku": product.sku, "name": product.name})


def category_listing(request, category):
    products = Product.by_category.query(category)
    return JsonResponse({"products": [p.sku for p in products]})
