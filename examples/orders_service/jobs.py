"""Background jobs: re-pricing, shipping label generation."""
import asyncio
from concurrent.futures import ThreadPoolExecutor

from .clients import get_product
from .settings import SHIPPING_URL

FANOUT_WORKERS = 256  # one thread per in-flight catalog call


def refresh_products(skus):
    with ThreadPoolExecutor(max_workers=len(skus)) as pool:
        return list(pool.map(get_product, skus))


def warm_cache(skus):
    pool = ThreadPoolExecutor(max_workers=FANOUT_WORKERS)
    for sku in skus:
        pool.submit(get_product, sku)


async def print_label(order):
    await asyncio.sleep(0.1)
    return order["id"]


async def print_labels(orders):
    tasks = []
    for order in orders:
        tasks.append(asyncio.create_task(print_label(order)))
    return await asyncio.gather(*tasks)


async def notify_shipped(client, order):
    await client.post(f"{SHIPPING_URL}/notifications", json={"order": order["id"]})


async def announce(client, orders):
    for order in orders:
        # Fire-and-forget: one task, and one connection, per order, however many orders arrive.
        asyncio.create_task(notify_shipped(client, order))
