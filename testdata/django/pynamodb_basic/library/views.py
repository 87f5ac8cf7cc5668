from library.models import Book, Shelf


def catalogue(isbn):
    book = Book.get(isbn)
    book.copies = 3
    book.save()
    book.update(actions=[Book.copies.set(4)])
    book.refresh()
    book.delete()
    for b in Book.query(isbn):
        b.refresh()
    Book.scan()
    Book.count(isbn)
    Book.count()
    Book.batch_get([isbn])
    with Book.batch_write() as batch:
        batch.save(Book(isbn))
    new = Book(isbn="1")
    new.save()
    shelf = Shelf()
    shelf.get("a")
    shelf.save()


def admin():
    if not Book.exists():
        Book.create_table(wait=True)
    Book.describe_table()
    Book.delete_table()
