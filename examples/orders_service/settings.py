import os

CATALOG_URL = os.environ.get("CATALOG_URL", "https://catalog.internal")
SHIPPING_URL = os.environ.get("SHIPPING_URL", "https://shipping.internal")
DATABASE_URL = os.environ.get("DATABASE_URL", "postgresql://orders@db/orders")
