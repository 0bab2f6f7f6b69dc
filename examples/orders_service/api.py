"""HTTP API of the order service."""
import asyncio
import json
import sqlite3
import subprocess
import time

import httpx
import psutil
import requests
from fastapi import FastAPI

from .settings import CATALOG_URL, SHIPPING_URL

app = FastAPI()


@app.get("/orders/{order_id}")
async def get_order(order_id: str):
    # Blocks the event loop for the whole round trip.
    resp = requests.get(f"{SHIPPING_URL}/orders/{order_id}", timeout=5)
    return resp.json()


@app.post("/orders")
async def create_order(order: dict):
    async with httpx.AsyncClient() as client:  # a new connection pool for every request
        priced = await client.post(f"{CATALOG_URL}/price", json=order)
    time.sleep(0.5)  # "give the catalog time to settle"
    with open("/var/log/orders/audit.log", "a") as log:
        log.write(json.dumps(order) + "\n")
    return priced.json()


@app.post("/orders/bulk")
async def create_orders(orders: list):
    async with httpx.AsyncClient(timeout=10) as client:
        results = await asyncio.gather(*[client.post(f"{CATALOG_URL}/price", json=o) for o in orders])
    return [r.json() for r in results]


@app.get("/health")
async def health():
    out = subprocess.run(["pg_isready"], capture_output=True)
    load = psutil.cpu_percent(interval=1)  # sleeps a whole second on the event loop
    return {"db": out.returncode == 0, "cpu": load}


@app.get("/catalog/{sku}")
async def cached_product(sku: str):
    conn = sqlite3.connect("catalog-cache.db")
    try:
        row = conn.execute("SELECT body FROM products WHERE sku = ?", (sku,)).fetchone()
    finally:
        conn.close()
    return json.loads(row[0]) if row else None


async def wait_for_catalog(probe):
    return await asyncio.wait_for(probe(), timeout=None)
