from pydantic_settings import BaseSettings


class Config(BaseSettings):
    events_table: str
    region: str = "eu-west-1"


config = Config()
