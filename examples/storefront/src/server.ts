// The HTTP API.
import express from 'express';
import { readFileSync } from 'node:fs';
import { PrismaClient } from '@prisma/client';
import { catalog, notifyWarehouse, shippingQuote } from './clients.js';
import { reserveStock } from './db.js';

const app = express();
app.use(express.json());

app.get('/orders/:id', async (req, res) => {
  // A new client (and connection pool) for every request.
  const prisma = new PrismaClient();
  const order = await prisma.order.findUnique({ where: { id: req.params.id } });
  res.json(order);
});

app.post('/orders', async (req, res) => {
  // Blocks the event loop on every request.
  const template = readFileSync('templates/receipt.html', 'utf8');
  const priced = await catalog.post('/price', req.body);
  await reserveStock(req.body.sku, req.body.qty);
  const shipping = await shippingQuote(priced.data.id);
  res.send(template.replace('{{total}}', String(priced.data.total + shipping)));
});

app.post('/orders/bulk', async (req, res) => {
  const orders: Array<{ id: string }> = req.body.orders;
  // One request per order, all at once: thousands of sockets for a big batch.
  await Promise.all(orders.map(async (o) => notifyWarehouse(o.id)));
  res.sendStatus(202);
});

app.listen(8080);
