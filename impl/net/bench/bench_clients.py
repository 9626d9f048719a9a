"""Linux-side programs for scripts/bench tun (run with Debian's
/usr/bin/python3 inside the benchmark's namespace). The kernel does the TCP
work; Python only moves large buffers or holds sockets, so it is not what
is measured. Each prints one line of JSON and is bounded in time.

  send HOST PORT BYTES SECONDS     bulk sender: BYTES or SECONDS, whichever first
  sink ADDR PORT READY_FILE        accepts one connection, reads to EOF
  hold HOST PORT ADDRS COUNT READY_FILE RELEASE_FILE
                                   COUNT idle connections spread over the
                                   source ADDRS (comma-separated), held
                                   until RELEASE_FILE exists
"""
import json
import os
import selectors
import socket
import sys
import time

TIMEOUT = 30


def cubic(s):
    # Inside a namespace only reno and bbr may be defaults; the issue
    # compares against cubic, so every Linux socket here asks for it.
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, b"cubic")


def send(host, port, total, seconds):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    cubic(s)
    s.settimeout(TIMEOUT)
    s.connect((host, port))
    chunk = bytes(1 << 20)
    sent = 0
    start = time.monotonic()
    while sent < total and time.monotonic() - start < seconds:
        s.sendall(chunk)
        sent += len(chunk)
    s.shutdown(socket.SHUT_WR)
    # Done when the server has read everything: its FIN follows our FIN.
    while s.recv(65536):
        pass
    elapsed = time.monotonic() - start
    s.close()
    print(json.dumps({"bytes": sent, "seconds": round(elapsed, 3)}))


def sink(addr, port, ready_file):
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    cubic(ls)
    ls.bind((addr, port))
    ls.listen(4)
    ls.settimeout(TIMEOUT)
    open(ready_file, "w").close()
    s, _ = ls.accept()
    s.settimeout(TIMEOUT)
    got = 0
    start = time.monotonic()
    while True:
        b = s.recv(1 << 20)
        if not b:
            break
        got += len(b)
    elapsed = time.monotonic() - start
    s.close()
    ls.close()
    print(json.dumps({"bytes": got, "seconds": round(elapsed, 3)}))


def hold(host, port, addrs, count, ready_file, release_file):
    sel = selectors.DefaultSelector()
    socks = []
    pending = 0
    for i in range(count):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setblocking(False)
        s.bind((addrs[i % len(addrs)], 0))
        s.connect_ex((host, port))
        sel.register(s, selectors.EVENT_WRITE)
        socks.append(s)
        pending += 1
        # Bounded bursts, so the SYN queue sees a steady arrival rather
        # than ten thousand SYNs at once.
        if pending >= 512:
            pending -= wait_connected(sel, 512)
    pending -= wait_connected(sel, pending)
    failed = sum(1 for s in socks if s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) != 0)
    open(ready_file, "w").close()
    deadline = time.monotonic() + 120
    while not os.path.exists(release_file) and time.monotonic() < deadline:
        time.sleep(0.1)
    for s in socks:
        s.close()
    print(json.dumps({"connections": count, "failed": failed, "unconnected": pending}))


def wait_connected(sel, n):
    done = 0
    deadline = time.monotonic() + TIMEOUT
    while done < n and time.monotonic() < deadline:
        for key, _ in sel.select(timeout=1):
            sel.unregister(key.fileobj)
            done += 1
    return done


def main():
    case = sys.argv[1]
    if case == "send":
        send(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]))
    elif case == "sink":
        sink(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    elif case == "hold":
        hold(sys.argv[2], int(sys.argv[3]), sys.argv[4].split(","), int(sys.argv[5]),
             sys.argv[6], sys.argv[7])
    else:
        print("unknown case " + case, file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
