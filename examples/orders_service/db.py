"""Storage: orders in PostgreSQL, a local sqlite cache of the catalog."""
import sqlite3

import asyncpg

from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

from .settings import DATABASE_URL

engine = create_engine(DATABASE_URL, pool_size=10, max_overflow=-1)
SessionLocal = sessionmaker(bind=engine)


def save_order(order):
    session = SessionLocal()
    session.add(order)
    session.commit()


def cached_price(sku):
    # `with` commits or rolls back; it does not close the connection.
    with sqlite3.connect("catalog-cache.db") as conn:
        row = conn.execute("SELECT price FROM prices WHERE sku = ?", (sku,)).fetchone()
    return row[0] if row else None


def export_orders(path):
    conn = sqlite3.connect(path)
    rows = conn.execute("SELECT * FROM orders").fetchall()
    conn.close()
    return rows


async def open_reporting_pool(dsn):
    # 500 connections per process; with 8 processes that is 4,000 against a server allowing 100.
    return await asyncpg.create_pool(dsn, min_size=10, max_size=500)
