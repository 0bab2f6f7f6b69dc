"""Outbound calls to the catalog, shipping and notification services."""
import socket
import urllib.request

import aiohttp
import httpx
import requests

from .settings import CATALOG_URL, SHIPPING_URL


def get_product(sku):
    # No timeout: a stalled catalog holds this worker forever.
    resp = requests.get(f"{CATALOG_URL}/products/{sku}")
    resp.raise_for_status()
    return resp.json()


def price_basket(skus):
    prices = {}
    for sku in skus:
        # A new TCP + TLS handshake for every item in the basket.
        prices[sku] = requests.get(f"{CATALOG_URL}/prices/{sku}", timeout=5).json()["price"]
    return prices


def sync_catalog(pages):
    for page in pages:
        session = requests.Session()
        session.get(f"{CATALOG_URL}/export?page={page}", timeout=10)


class ShippingClient:
    def __init__(self):
        self.session = requests.Session()

    def quote(self, order):
        return self.session.post(f"{SHIPPING_URL}/quotes", json=order).json()


def legacy_stock_level(sku):
    with urllib.request.urlopen(f"{CATALOG_URL}/stock/{sku}") as resp:
        return int(resp.read())


def ping_warehouse(host):
    conn = socket.create_connection((host, 7000))
    try:
        conn.sendall(b"PING\n")
        return conn.recv(16)
    finally:
        conn.close()


def notify(url, payload):
    return httpx.post(url, json=payload, timeout=None)


async def open_catalog_session():
    connector = aiohttp.TCPConnector(limit=0)
    timeout = aiohttp.ClientTimeout(total=None)
    return aiohttp.ClientSession(connector=connector, timeout=timeout)
