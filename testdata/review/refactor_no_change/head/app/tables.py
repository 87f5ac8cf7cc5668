ORDERS = "orders"
