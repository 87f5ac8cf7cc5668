"""Notes and events of the calling tenant; partition key tenant_id."""
import boto3
from boto3.dynamodb.conditions import Key
from django.conf import settings

_dynamodb = boto3.resource("dynamodb", region_name=settings.AWS_REGION)


class NoteRepository:
    def __init__(self, tenant_id):
        self.tenant_id = tenant_id
        self.notes = _dynamodb.Table(settings.NOTES_TABLE)
        self.events = _dynamodb.Table(settings.EVENTS_TABLE)

    def get(self, note_id):
        response = self.notes.get_item(Key={"tenant_id": self.tenant_id, "note_id": note_id})
        return response.get("Item")

    def all(self):
        response = self.notes.query(KeyConditionExpression=Key("tenant_id").eq(self.tenant_id))
        return response["Items"]

    def save(self, note):
        self.notes.put_item(Item=dict(note, tenant_id=self.tenant_id))
        self.events.put_item(Item={"tenant_id": self.tenant_id, "kind": "note-saved"})

    def history(self):
        response = self.events.query(KeyConditionExpression=Key("tenant_id").eq(self.tenant_id))
        return response["Items"]
