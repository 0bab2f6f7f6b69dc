"""Development entry point: `python serve.py`."""
import uvicorn

if __name__ == "__main__":
    uvicorn.run("orders_service.api:app", host="0.0.0.0", port=8000, timeout_keep_alive=0)
