#!/usr/bin/env python3
"""Write throughput of the showcase under concurrent editors, with a CLI writer.

    scripts/bench-writes.py TONGWEN_BINARY [--writers 1,4,8,16] [--seconds 10] [--cli]

Builds a demo store in a temporary directory, adds an editor with an API token,
starts `tongwen serve`, and for each writer count runs that many threads for the
given time, each editing its own candidate concept through the API (read the
version, post an edit naming it) over one keep-alive connection. With --cli, a
`tongwen terms edit` loop runs beside them on another concept. Prints, per run,
successful writes per second, every status seen, latency percentiles of the posts,
and checks that the audit log holds exactly the writes that succeeded.
"""

import argparse
import http.client
import json
import os
import subprocess
import sys
import tempfile
import threading
import time


def start_server(binary, data):
    server = subprocess.Popen(
        [binary, "--data", data, "serve", "--addr", "127.0.0.1:0"],
        stderr=subprocess.PIPE,
        text=True,
    )
    for line in server.stderr:
        if "http://" in line:
            address = line.split("http://")[1].strip().rstrip("/")
            threading.Thread(target=lambda: [None for _ in server.stderr], daemon=True).start()
            return server, address
    sys.exit("the server did not start")


def run(binary, data, address, token, concepts, seconds, cli_concept):
    host, port = address.split(":")
    deadline = time.monotonic() + seconds
    statuses, latencies, lock = {}, [], threading.Lock()

    def writer(number, concept):
        connection = http.client.HTTPConnection(host, int(port), timeout=60)
        k = 0
        while time.monotonic() < deadline:
            connection.request("GET", f"/api/v1/concepts/{concept}")
            version = json.loads(connection.getresponse().read())["version"]
            body = json.dumps({"version": version, "lang": "en", "text": f"bench {number} {k} {time.time_ns()}"})
            started = time.monotonic()
            connection.request(
                "POST",
                f"/api/v1/concepts/{concept}/edit",
                body=body,
                headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            )
            response = connection.getresponse()
            response.read()
            with lock:
                statuses[response.status] = statuses.get(response.status, 0) + 1
                latencies.append(time.monotonic() - started)
            k += 1

    cli = {"ok": 0, "failed": 0}

    def cli_writer():
        k = 0
        while time.monotonic() < deadline:
            result = subprocess.run(
                [binary, "--data", data, "terms", "edit", str(cli_concept), "--by", "bench-cli",
                 "--term", f"en=bench cli {k} {time.time_ns()}"],
                capture_output=True,
            )
            cli["ok" if result.returncode == 0 else "failed"] += 1
            k += 1

    threads = [threading.Thread(target=writer, args=(n, c)) for n, c in enumerate(concepts)]
    if cli_concept is not None:
        threads.append(threading.Thread(target=cli_writer))
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    latencies.sort()
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000 if latencies else 0
    return statuses, cli, elapsed, pick(0.5), pick(0.99), pick(1.0)


def audit_counts(binary, data):
    log = json.loads(subprocess.run(
        [binary, "--data", data, "terms", "log", "--limit", "100000000", "--json"],
        capture_output=True, check=True,
    ).stdout)
    counts = {}
    for entry in log:
        if entry["action"] == "edit":
            counts[entry["actor"]] = counts.get(entry["actor"], 0) + 1
    return counts


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--writers", default="1,4,8,16")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--cli", action="store_true")
    args = parser.parse_args()
    counts = [int(n) for n in args.writers.split(",")]
    with tempfile.TemporaryDirectory() as work:
        data = os.path.join(work, "data")
        subprocess.run([args.binary, "--data", data, "demo", "--no-serve"], check=True, capture_output=True)
        subprocess.run([args.binary, "--data", data, "user", "add", "bench", "--role", "editor"],
                       check=True, capture_output=True, env={**os.environ, "TONGWEN_PASSWORD": "bench-password-long"})
        token = subprocess.run([args.binary, "--data", data, "user", "token", "bench"],
                               check=True, capture_output=True, text=True).stdout.strip()
        server, address = start_server(args.binary, data)
        try:
            listing = json.loads(subprocess.run(
                [args.binary, "--data", data, "terms", "list", "--limit", "1000", "--json"],
                check=True, capture_output=True).stdout)
            ids = [row["id"] for row in listing]
            succeeded_api, succeeded_cli = 0, 0
            print("| writers | CLI writer | API writes/s | statuses | post p50 / p99 / max ms | CLI edits (failed) |")
            print("|---|---|---|---|---|---|")
            for n in counts:
                concepts = ids[:n]
                cli_concept = ids[n] if args.cli else None
                statuses, cli, elapsed, p50, p99, top = run(
                    args.binary, data, address, token, concepts, args.seconds, cli_concept)
                succeeded_api += statuses.get(200, 0)
                succeeded_cli += cli["ok"]
                shown = ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items()))
                print(f"| {n} | {'yes' if args.cli else 'no'} | {statuses.get(200, 0) / elapsed:.0f} | {shown} "
                      f"| {p50:.1f} / {p99:.1f} / {top:.1f} | {cli['ok']} ({cli['failed']}) |")
            counts_in_log = audit_counts(args.binary, data)
            print(f"\naudit log: {counts_in_log.get('bench', 0)} API edits (succeeded {succeeded_api}), "
                  f"{counts_in_log.get('bench-cli', 0)} CLI edits (succeeded {succeeded_cli})")
            if counts_in_log.get("bench", 0) != succeeded_api or counts_in_log.get("bench-cli", 0) != succeeded_cli:
                sys.exit("the audit log does not match the writes that succeeded")
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
