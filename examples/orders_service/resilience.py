"""Retry policy for calls to the payment provider."""
import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry


def payment_session():
    retry = Retry(total=5, allowed_methods=["GET", "POST"], backoff_factor=0.5)
    session = requests.Session()
    session.mount("https://", HTTPAdapter(max_retries=retry))
    return session


def catalog_session():
    session = requests.Session()
    session.mount("https://", HTTPAdapter(max_retries=Retry(total=8)))
    return session


def inventory_session():
    # None means "retry every method", POSTs included.
    retry = Retry(total=3, allowed_methods=None, backoff_factor=0.3)
    session = requests.Session()
    session.mount("https://", HTTPAdapter(max_retries=retry))
    return session
