# Gunicorn settings for the internal admin app (Django, sync views).
import redis

bind = "0.0.0.0:8001"
workers = 2
worker_class = "sync"
worker_connections = 1000  # only read by async workers: a sync worker serves one request at a time
timeout = 30
max_requests = 2000
max_requests_jitter = 200
preload_app = True

# Shared by the app's views; opened here, in the master, before the workers fork.
sessions = redis.Redis(host="sessions.internal", socket_timeout=2)
