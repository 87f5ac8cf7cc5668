from pynamodb.connection import Connection
from pynamodb.transactions import TransactGet, TransactWrite

from store.base import Customer, Order


def open_orders():
    for o in Order.by_status.query("open"):
        print(o)
    Order.by_date.scan()
    Order.by_status.count("open")


def checkout(order, customer_id):
    conn = Connection()
    with TransactWrite(connection=conn) as tw:
        tw.save(Order(order))
        tw.update(Customer(customer_id), actions=[])
        tw.delete(Order("old"))
        tw.condition_check(Customer, customer_id, condition=None)
    with TransactGet(connection=conn) as tg:
        c = tg.get(Customer, customer_id)
    return c
