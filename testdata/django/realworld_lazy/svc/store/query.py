def read_all(table):
    return table.scan()
