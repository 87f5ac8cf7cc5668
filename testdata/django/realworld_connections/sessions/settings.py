SESSION_TABLE = "web-sessions"
