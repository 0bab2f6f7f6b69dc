// Writes a synthetic Python module of N copies of a block that exercises every rule family
// (sessions, loops over requests, async code with blocking calls, executors, gather, resources,
// retries), each copy with its own names. `npm run bench` lints modules of growing N to check
// that time grows linearly with the size of one file, not only with the number of files.
//   node scripts/synthetic-module.mjs N OUT.py
import { writeFileSync } from 'node:fs';

const HEADER = `import asyncio
import socket
import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor

import aiohttp
import httpx
import requests
from urllib3.util.retry import Retry

`;

const block = (i) => `
def fetch_${i}(url):
    return requests.get(url)


def fetch_all_${i}(urls):
    return [fetch_${i}(u) for u in urls]


def crawl_${i}(urls):
    out = []
    for u in urls:
        out.append(requests.post(u, json={"i": ${i}}, timeout=5))
    return out


class Client${i}:
    def __init__(self):
        self.session = requests.Session()
        self.pool = ThreadPoolExecutor(max_workers=${i % 200})

    def get(self, path):
        return self.session.get("https://example.com/" + path)

    def run(self, items):
        return list(self.pool.map(fetch_${i}, items))


async def handler_${i}(request):
    time.sleep(0.1)
    async with aiohttp.ClientSession() as session:
        async with session.get("https://example.com/${i}") as resp:
            body = await resp.text()
    with open("/tmp/${i}.txt") as f:
        data = f.read()
    return body + data


async def fan_out_${i}(items):
    tasks = [asyncio.create_task(handler_${i}(x)) for x in items]
    return await asyncio.gather(*tasks)


async def wait_${i}(fut):
    return await asyncio.wait_for(fut, timeout=None)


def query_${i}(path):
    conn = sqlite3.connect(path)
    rows = conn.execute("select ${i}").fetchall()
    conn.close()
    return rows


def connect_${i}(host):
    s = socket.create_connection((host, 80))
    s.sendall(b"ping")
    return s.recv(10)


def client_${i}():
    c = httpx.Client(timeout=None)
    try:
        return c.get("https://example.com/${i}")
    finally:
        c.close()


RETRY_${i} = Retry(total=3, allowed_methods=["GET", "POST"])
`;

const n = Number(process.argv[2] ?? 100);
const out = process.argv[3];
if (!out || !Number.isInteger(n) || n < 1) {
  process.stderr.write('usage: node scripts/synthetic-module.mjs N OUT.py\n');
  process.exit(2);
}
const parts = [HEADER];
for (let i = 0; i < n; i++) parts.push(block(i));
writeFileSync(out, parts.join(''));
