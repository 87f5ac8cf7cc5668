from svc import store


def index():
    store.read_all(store.MAIN)
    with store.events_table() as table:
        table.put_item(Item={})
