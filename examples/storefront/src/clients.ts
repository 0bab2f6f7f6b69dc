// Outbound HTTP: the catalog and shipping APIs.
import axios from 'axios';

const CATALOG_URL = process.env.CATALOG_URL ?? 'http://catalog.internal';
const SHIPPING_URL = process.env.SHIPPING_URL ?? 'http://shipping.internal';

// No timeout: a stalled catalog holds every request that prices a basket.
export const catalog = axios.create({ baseURL: CATALOG_URL });

export async function shippingQuote(orderId: string): Promise<number> {
  const res = await fetch(`${SHIPPING_URL}/quotes/${orderId}`);
  const body = (await res.json()) as { price: number };
  return body.price;
}

export async function notifyWarehouse(orderId: string): Promise<void> {
  await axios.post(`${SHIPPING_URL}/warehouse/notify`, { orderId });
}
