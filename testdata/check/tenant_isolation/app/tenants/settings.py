AWS_REGION = "eu-west-1"
NOTES_TABLE = "tenant-notes"
EVENTS_TABLE = "tenant-events"
INSTALLED_APPS = ["notes"]
