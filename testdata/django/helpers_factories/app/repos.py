from app import db
from app.db import get_table, make_client


def save_record(table, item):
    """Helper that receives a table."""
    table.put_item(Item=item)


def count_rows(client, table_name):
    return client.scan(TableName=table_name, Select="COUNT")


class ContactRepo:
    def __init__(self):
        self.table = get_table("contacts")
        self.client = make_client()

    def find(self, key):
        return self.table.get_item(Key=key)

    def total(self):
        return count_rows(self.client, "crm-contacts")


class NoteRepo:
    def __init__(self, table):
        self.table = table

    def add(self, note):
        self.table.put_item(Item=note)


def wire():
    leads = db.get_table("leads")
    save_record(leads, {})
    save_record(get_table("deals"), {})
    repo = NoteRepo(get_table("notes"))
    repo.add({})
    NoteRepo(table=db.get_table("tasks"))
    count_rows(make_client(), "crm-leads")
