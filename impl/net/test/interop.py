"""Linux-side clients for the netns interop tests (run with Debian's
/usr/bin/python3 inside the test's namespace). Each case prints one line
and exits 0 when the behaviour is right, 1 otherwise. Every socket call is
bounded by a timeout."""
import hashlib
import os
import selectors
import socket
import sys
import threading

HOST = "198.18.0.2"
# Seconds per socket call and per transfer; scripts/soak allows more.
TIMEOUT = float(os.environ.get("TCPMC_INTEROP_TIMEOUT", "10"))


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def connect(port):
    s = socket.create_connection((HOST, port), timeout=TIMEOUT)
    # Pin the congestion control: inside a namespace only reno and bbr may
    # be defaults, and the issue compares against cubic.
    try:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, b"cubic")
    except OSError:
        pass
    return s


def echo_roundtrip(port, data, half_close_first):
    """Sends data, half-closes, reads until EOF. With half_close_first the
    reader starts only after everything was sent and shut down."""
    s = connect(port)
    got = bytearray()

    def reader():
        while True:
            b = s.recv(65536)
            if not b:
                return
            got.extend(b)

    if half_close_first:
        s.sendall(data)
        s.shutdown(socket.SHUT_WR)
        reader()
    else:
        t = threading.Thread(target=reader)
        t.start()
        s.sendall(data)
        s.shutdown(socket.SHUT_WR)
        t.join(TIMEOUT)
        if t.is_alive():
            fail("echo did not finish within %g s" % TIMEOUT)
    s.close()
    return bytes(got)


def case_echo(port, size):
    data = os.urandom(size)
    got = echo_roundtrip(port, data, False)
    want = hashlib.sha256(data).hexdigest()
    have = hashlib.sha256(got).hexdigest()
    if len(got) != len(data) or want != have:
        fail("echo of %d bytes came back as %d bytes, sha256 %s != %s"
             % (size, len(got), have, want))
    print("ok: echo %d bytes, sha256 %s" % (size, have))


def case_half_close(port, size):
    # We shut down writing first and only then read: every byte the server
    # sends after our FIN must still arrive. With a size above what our
    # receive buffer holds, the server meets a zero window on the way.
    data = os.urandom(size)
    got = echo_roundtrip(port, data, True)
    if got != data:
        fail("after SHUT_WR got %d of %d bytes back" % (len(got), len(data)))
    print("ok: half-close, %d bytes received after shutdown(SHUT_WR)" % len(got))


def case_refused(port):
    try:
        s = socket.create_connection((HOST, port), timeout=TIMEOUT)
    except ConnectionRefusedError:
        print("ok: connection to port %d refused (RST)" % port)
        return
    except socket.timeout:
        fail("connect to closed port %d timed out instead of being refused" % port)
    s.close()
    fail("connect to closed port %d succeeded" % port)


def case_concurrent(port, count, size):
    sel = selectors.DefaultSelector()
    conns = []
    for i in range(count):
        s = connect(port)
        s.setblocking(False)
        data = hashlib.sha256(str(i).encode()).digest() * (size // 32)
        st = {"sock": s, "data": data, "sent": 0, "got": bytearray(), "eof": False}
        conns.append(st)
        sel.register(s, selectors.EVENT_READ | selectors.EVENT_WRITE, st)
    import time
    deadline = time.monotonic() + TIMEOUT
    while any(not c["eof"] for c in conns):
        if time.monotonic() > deadline:
            fail("%d of %d connections unfinished after %d s"
                 % (sum(not c["eof"] for c in conns), count, TIMEOUT))
        for key, ev in sel.select(timeout=1):
            c = key.data
            s = c["sock"]
            if ev & selectors.EVENT_WRITE and c["sent"] < len(c["data"]):
                try:
                    c["sent"] += s.send(c["data"][c["sent"]:])
                except BlockingIOError:
                    pass
                if c["sent"] == len(c["data"]):
                    s.shutdown(socket.SHUT_WR)
                    sel.modify(s, selectors.EVENT_READ, c)
            if ev & selectors.EVENT_READ:
                try:
                    b = s.recv(65536)
                except BlockingIOError:
                    continue
                if b:
                    c["got"].extend(b)
                else:
                    c["eof"] = True
                    sel.unregister(s)
                    s.close()
    bad = [i for i, c in enumerate(conns) if bytes(c["got"]) != c["data"]]
    if bad:
        fail("%d of %d connections came back wrong, e.g. #%d" % (len(bad), count, bad[0]))
    print("ok: %d concurrent connections, %d bytes each, all intact" % (count, size))


def case_server(port, ready_file, after_eof=False):
    """A Linux echo server for our client: one connection, echo to EOF.
    With after_eof it first reads everything up to the client's FIN and
    only then sends it all back: every byte it sends crosses a half-closed
    connection."""
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("0.0.0.0", port))
    ls.listen(4)
    ls.settimeout(TIMEOUT)
    open(ready_file, "w").close()
    s, _ = ls.accept()
    s.settimeout(TIMEOUT)
    total = 0
    kept = bytearray()
    while True:
        b = s.recv(65536)
        if not b:
            break
        if after_eof:
            kept.extend(b)
        else:
            s.sendall(b)
        total += len(b)
    if after_eof:
        s.sendall(kept)
    s.close()
    ls.close()
    print("ok: Linux server echoed %d bytes" % total)


def case_hold(port, ready_file):
    """Holds a connection open until the server closes it (its FIN), then
    closes ours: the server's graceful shutdown on SIGTERM."""
    s = connect(port)
    s.sendall(b"still here")
    if s.recv(100) != b"still here":
        fail("no echo before the server's shutdown")
    open(ready_file, "w").close()
    if s.recv(100) != b"":
        fail("expected the server's FIN (EOF), got data")
    s.close()
    print("ok: the server closed our connection gracefully (FIN, not RST)")


def case_download(port, sha256, size):
    """Reads what the server sends up to its FIN; the bytes must be the file."""
    s = connect(port)
    got = bytearray()
    while True:
        b = s.recv(65536)
        if not b:
            break
        got.extend(b)
    s.close()
    if len(got) != size:
        fail("got %d bytes, the file has %d" % (len(got), size))
    if hashlib.sha256(got).hexdigest() != sha256:
        fail("SHA-256 of what arrived differs from the file's")
    print("ok: %d bytes, SHA-256 equal" % size)


def case_close_after(port, seconds):
    """Connects, waits, closes: with a link delay longer than the wait, our
    FIN leaves before the server's FIN arrives, and the FINs cross."""
    s = connect(port)
    import time
    time.sleep(seconds)
    s.close()
    print("ok: closed %.2f s after connecting" % seconds)


def case_slow_echo(port, size, seconds, local_port, ready_file):
    """An echo from a fixed local port (the 4-tuple an attacker is told),
    sent in 64 pieces spread over `seconds`, so the connection is open while
    the attack runs. The bytes that come back must be the bytes sent."""
    import time
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", local_port))
    s.settimeout(TIMEOUT)
    s.connect((HOST, port))
    open(ready_file, "w").close()
    data = os.urandom(size)
    got = bytearray()

    def reader():
        while True:
            b = s.recv(65536)
            if not b:
                return
            got.extend(b)

    t = threading.Thread(target=reader)
    t.start()
    piece = size // 64
    for i in range(64):
        s.sendall(data[i * piece:(i + 1) * piece if i < 63 else size])
        time.sleep(seconds / 64)
    s.shutdown(socket.SHUT_WR)
    t.join(TIMEOUT)
    if t.is_alive():
        fail("echo did not finish")
    s.close()
    if hashlib.sha256(got).digest() != hashlib.sha256(data).digest():
        fail("%d bytes came back as %d different bytes" % (size, len(got)))
    print("ok: %d bytes echoed intact over %.1f s" % (size, seconds))


def main():
    case = sys.argv[1]
    port = int(sys.argv[2])
    if case == "echo":
        case_echo(port, int(sys.argv[3]))
    elif case == "half-close":
        case_half_close(port, int(sys.argv[3]))
    elif case == "refused":
        case_refused(port)
    elif case == "concurrent":
        case_concurrent(port, int(sys.argv[3]), int(sys.argv[4]))
    elif case == "hold":
        case_hold(port, sys.argv[3])
    elif case == "download":
        case_download(port, sys.argv[3], int(sys.argv[4]))
    elif case == "slow-echo":
        case_slow_echo(port, int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]), sys.argv[6])
    elif case == "close-after":
        case_close_after(port, float(sys.argv[3]))
    elif case == "server":
        case_server(port, sys.argv[3])
    elif case == "server-after-eof":
        case_server(port, sys.argv[3], after_eof=True)
    else:
        fail("unknown case " + case)


if __name__ == "__main__":
    main()
