"""The demo's e-file intake service: a FastAPI app instrumented by hand with prometheus_client.

It follows the tutorial's metrics_middleware.py (a Summary of request time in ms, a Counter of
5xx answers, a /metrics route) with three changes a real service needs:

- /metrics answers a Response with prometheus_client's content type: returning the bytes from
  the route, as the tutorial does, makes FastAPI send them as a JSON string, which no scraper
  reads;
- the middleware leaves /metrics out, so scrapes do not dilute the error rate;
- a Histogram beside the Summary, so a KPI can count requests answered within 2 s (a Summary
  only gives an average). prometheus_client writes its bounds as le="0.1" ... le="2.0".

Run: python3 efile_intake.py --port 0 (prints "listening http://127.0.0.1:PORT" once it is).
Knobs: POST /_knobs {"errorRate": 0.1, "extraLatencyMs": 0}. A rate of 0.1 fails exactly one
request in ten, so a test's counts are exact.
"""

import argparse
import asyncio
import socket
import sys
import time
import uuid

import prometheus_client as prom
import uvicorn
from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse

# The tutorial's two metrics.
REQ_TIME = prom.Summary("req_ms", "Request duration in ms")
ERRORS = prom.Counter("http_errors", "5xx responses")
# The one addition: bounds in seconds, 2 s among them.
REQ_SECONDS = prom.Histogram(
    "req_seconds", "Request duration in seconds", buckets=(0.1, 0.25, 0.5, 1, 2, 5)
)

app = FastAPI(title="e-file intake")
knobs = {"errorRate": 0.0, "extraLatencyMs": 0}
# Requests that went through the fault injector, and how many of them failed.
faults = {"seen": 0, "failed": 0}
filings: dict[str, dict] = {}


@app.middleware("http")
async def inject_faults(request: Request, call_next):
    """Runs inside the metrics middleware (added first, so innermost): its faults are counted."""
    if request.url.path == "/metrics" or request.url.path.startswith("/_knobs"):
        return await call_next(request)
    if knobs["extraLatencyMs"] > 0:
        await asyncio.sleep(knobs["extraLatencyMs"] / 1000)
    faults["seen"] += 1
    # Fail whenever the failures so far fall behind the rate: exactly one in ten at 0.1.
    if faults["failed"] < int(faults["seen"] * knobs["errorRate"] + 1e-9):
        faults["failed"] += 1
        return JSONResponse({"error": "injected fault"}, status_code=500)
    return await call_next(request)


@app.middleware("http")
async def metrics_middleware(request: Request, call_next):
    if request.url.path == "/metrics" or request.url.path.startswith("/_knobs"):
        return await call_next(request)
    start = time.perf_counter()
    response = await call_next(request)
    elapsed = time.perf_counter() - start
    REQ_TIME.observe(elapsed * 1000)
    REQ_SECONDS.observe(elapsed)
    if response.status_code >= 500:
        ERRORS.inc()
    return response


@app.get("/metrics")
def metrics() -> Response:
    # As a header, not media_type: Starlette would append a second "; charset=utf-8".
    return Response(prom.generate_latest(), headers={"content-type": prom.CONTENT_TYPE_LATEST})


@app.post("/filings", status_code=201)
async def file_return(filing: dict) -> dict:
    filing_id = str(uuid.uuid4())
    filings[filing_id] = filing
    return {"id": filing_id}


@app.get("/filings/{filing_id}")
async def filing_status(filing_id: str):
    if filing_id not in filings:
        return JSONResponse({"error": "no such filing"}, status_code=404)
    return {"id": filing_id, "status": "received"}


@app.post("/_knobs")
async def set_knobs(patch: dict) -> dict:
    rate = patch.get("errorRate", knobs["errorRate"])
    latency = patch.get("extraLatencyMs", knobs["extraLatencyMs"])
    if not (isinstance(rate, (int, float)) and 0 <= rate <= 1):
        return JSONResponse({"error": "errorRate: expected a number in [0, 1]"}, status_code=400)
    if not (isinstance(latency, int) and 0 <= latency <= 3_600_000):
        return JSONResponse({"error": "extraLatencyMs: expected an integer ms"}, status_code=400)
    knobs.update(errorRate=float(rate), extraLatencyMs=latency)
    faults.update(seen=0, failed=0)
    return knobs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8106)
    args = parser.parse_args()
    # Loopback only: the knobs have no auth. The socket is bound here so port 0 can be told.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", args.port))
    sock.listen(128)
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    print(f"listening http://127.0.0.1:{port}", flush=True)
    server.run(sockets=[sock])
    sys.exit(0)


if __name__ == "__main__":
    main()
