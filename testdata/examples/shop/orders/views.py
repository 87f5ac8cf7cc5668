import json

from django.http import Http404, JsonResponse

from .dynamo import OrderRepository

repository = OrderRepository()


def order_detail(request, order_id):
    order = repository.get(order_id)
    if order is None:
        raise Http404("no such order")
    return JsonResponse(order)


def customer_orders(request):
    if request.method == "POST":
        repository.place(json.loads(request.body))
        return JsonResponse({"ok": True}, status=201)
    return JsonResponse({"orders": repository.for_customer(request.GET["customer"])})
