from app import db
from app.db import Orders, Repository, Settings, archive

users = Repository(db.table("users"))
audit = Repository(db.table("audit"))


def show(key):
    # get() runs on users only, add() on audit only.
    users.get(key)
    audit.add({"k": key})
    Orders().open_orders()
    Orders().get(key)
    Settings.read()
    archive(db.table("archive"), {})


def unknown_table(tbl):
    # Nothing in the project passes tbl: still a DynamoDB write.
    tbl.update_item(Key={"k": 1}, UpdateExpression="SET a = :a")
