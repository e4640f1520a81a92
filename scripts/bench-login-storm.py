#!/usr/bin/env python3
"""Memory and availability of the showcase under a storm of hostile logins.

    scripts/bench-login-storm.py TONGWEN_BINARY [--clients 3000] [--guesses 30000] [--name-bytes 60000]

Builds a demo store with an admin, starts `tongwen serve --forwarded-for`, and sends
failed logins with made-up names of NAME_BYTES bytes: one from each of CLIENTS
addresses (each reaches the password check), then GUESSES from a single address
(held back by its own back-off). Meanwhile the admin logs in from another address
every second. Prints the server's resident memory before, during and after, how many
storm requests were refused (429), and the admin's login times.
"""

import argparse
import http.client
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def login(address, name, password, client):
    host, port = address.split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=60)
    connection.request("GET", "/login")
    response = connection.getresponse()
    form = response.read().decode()
    cookie = response.getheader("Set-Cookie").split(";")[0]
    csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', form).group(1)
    body = urllib.parse.urlencode({"name": name, "password": password, "csrf": csrf})
    connection.request("POST", "/login", body=body, headers={
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": cookie,
        "X-Forwarded-For": client,
    })
    response = connection.getresponse()
    response.read()
    connection.close()
    if response.status == 303 and "failed" in (response.getheader("Location") or ""):
        return 401
    return response.status


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--clients", type=int, default=3000)
    parser.add_argument("--guesses", type=int, default=30000)
    parser.add_argument("--name-bytes", type=int, default=60000)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        data = os.path.join(work, "data")
        subprocess.run([args.binary, "--data", data, "demo", "--no-serve"], check=True, capture_output=True)
        subprocess.run([args.binary, "--data", data, "user", "add", "admin", "--role", "admin"], check=True,
                       capture_output=True, env={**os.environ, "TONGWEN_PASSWORD": "admin-password-long"})
        server = subprocess.Popen([args.binary, "--data", data, "serve", "--addr", "127.0.0.1:0", "--forwarded-for"],
                                  stderr=subprocess.PIPE, text=True)
        address = None
        for line in server.stderr:
            if "http://" in line:
                address = line.split("http://")[1].strip().rstrip("/")
                break
        threading.Thread(target=lambda: [None for _ in server.stderr], daemon=True).start()
        try:
            for _ in range(20):
                login(address, "nobody", "warm-up", "192.0.2.200")
            print(f"RSS before the storm: {rss_mb(server.pid):.0f} MB")
            padding = "x" * args.name_bytes
            work_items = [(f"{padding}{k}", f"10.{k >> 16 & 255}.{k >> 8 & 255}.{k & 255}") for k in range(args.clients)]
            work_items += [(f"{padding}g{k}", "203.0.113.66") for k in range(args.guesses)]
            statuses, lock, position = {}, threading.Lock(), [0]
            done = threading.Event()

            def storm():
                while True:
                    with lock:
                        if position[0] >= len(work_items):
                            return
                        name, client = work_items[position[0]]
                        position[0] += 1
                    status = login(address, name, "guess", client)
                    with lock:
                        statuses[status] = statuses.get(status, 0) + 1

            admin_times, peak = [], [0.0]

            def admin():
                while not done.is_set():
                    started = time.monotonic()
                    status = login(address, "admin", "admin-password-long", "192.0.2.10")
                    admin_times.append((status, time.monotonic() - started))
                    peak[0] = max(peak[0], rss_mb(server.pid))
                    time.sleep(1)

            started = time.monotonic()
            watcher = threading.Thread(target=admin)
            watcher.start()
            threads = [threading.Thread(target=storm) for _ in range(args.threads)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            done.set()
            watcher.join()
            elapsed = time.monotonic() - started
            print(f"storm: {len(work_items)} logins with {args.name_bytes}-byte names in {elapsed:.0f} s: "
                  + ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items())))
            print(f"RSS at its peak during the storm: {peak[0]:.0f} MB; after: {rss_mb(server.pid):.0f} MB")
            ok = [t for s, t in admin_times if s == 303]
            print(f"admin logins during the storm: {len(ok)} of {len(admin_times)} succeeded, "
                  f"slowest {max(ok) * 1000 if ok else 0:.0f} ms")
            if len(ok) != len(admin_times):
                sys.exit("the storm kept the admin out")
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
