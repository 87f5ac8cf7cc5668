# Main settings with no environment switch.
DEBUG = True
ALLOWED_HOSTS = ["*"]
