from django.urls import path

from orders import views as order_views
from catalog import views as catalog_views

urlpatterns = [
    path("orders/<str:order_id>", order_views.order_detail),
    path("orders/", order_views.customer_orders),
    path("products/<str:sku>", catalog_views.product_detail),
]
