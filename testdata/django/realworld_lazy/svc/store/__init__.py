from .base import *  # noqa
from .query import read_all  # noqa
