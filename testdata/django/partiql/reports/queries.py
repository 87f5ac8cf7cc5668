import boto3

ddb = boto3.client("dynamodb")
TABLE = "Metrics"


def report(stmt):
    ddb.execute_statement(Statement='SELECT * FROM "Metrics" WHERE pk = ?')
    ddb.execute_statement(Statement='SELECT * FROM "Metrics"."ByDay" WHERE d = ?')
    ddb.execute_statement(Statement="INSERT INTO Metrics VALUE {'pk': ?}")
    ddb.execute_statement(Statement=f'UPDATE "{TABLE}" SET n = 1 WHERE pk = ?')
    ddb.execute_statement(Statement="delete from Rollups where pk = ?")
    ddb.execute_statement(Statement=stmt)
    ddb.batch_execute_statement(Statements=[
        {"Statement": 'SELECT * FROM "Rollups" WHERE pk = ?'},
        {"Statement": "INSERT INTO \"Rollups\" VALUE {'pk': ?}"},
    ])
    ddb.execute_transaction(TransactStatements=[
        {"Statement": 'UPDATE "Metrics" SET n = n + 1 WHERE pk = ?'},
        {"Statement": 'DELETE FROM "Rollups" WHERE pk = ?'},
    ])
