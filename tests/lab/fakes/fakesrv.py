"""fakesrv: a node's fake server. Started by lab_boot inside the node's
namespaces, it imports the fakes once and then forks one worker per call
that the C shim (fakes/shim.c, what the tools' symlinks point to) makes over
the unix socket SOCK. The worker takes the caller's argv, environment,
standard streams and working directory (passed as descriptors), umask and
credentials (SO_PEERCRED), runs the fake exactly as `fakes/fake` would and
exits with its status, which the server sends back to the shim. Signals the
shim gets are forwarded to the worker; if the shim dies (SIGKILL), so does
the worker. Only the per-call cost of starting Python goes away: the
journal, faults, delays and state are the fakes' own.

Protocol (stream socket): the shim sends "KWF1", a 4-byte little-endian
length L with its descriptors (SCM_RIGHTS: fd 0, 1, 2, then the working
directory; a bit in the payload says which of 0-2 were open), then L bytes:
NUL-terminated fields "FDMASK", "UMASK", "ARGC", argv..., then the
environment until the end. Afterwards each byte the shim sends is a signal
number to deliver to the worker. The server answers with one line,
"exit N\\n" or "signal N\\n"."""

import array
import gc
import io
import os
import selectors
import signal
import socket
import struct
import sys
import threading
import traceback
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import labcommon  # noqa: E402
import labfakes  # noqa: E402

SOCK = "/run/kubewiz-lab-fakes.sock"
# Modules the fakes import inside functions (grep -n '^ \+import' fk_*.py).
PRELOAD = ["yaml", "kstate", "jsonpath", "pkgdata", "fk_net", "fk_runtime", "fk_kubectl",
           "tomllib", "tempfile", "select", "pwd", "getpass", "crypt", "hashlib", "base64"]
MAGIC = b"KWF1"


def recv_exact(conn, n):
    """n bytes from conn (fewer only at end of file)."""
    buf = b""
    while len(buf) < n:
        b = conn.recv(n - len(buf))
        if not b:
            break
        buf += b
    return buf


def read_request(conn):
    """(fds, fields) of a call: its descriptors and NUL-separated fields."""
    fds = array.array("i")
    msg, anc, _flags, _addr = conn.recvmsg(8, socket.CMSG_SPACE(8 * fds.itemsize))
    for level, typ, data in anc:
        if level == socket.SOL_SOCKET and typ == socket.SCM_RIGHTS:
            fds.frombytes(data[:len(data) - len(data) % fds.itemsize])
    if len(msg) < 8:
        msg += recv_exact(conn, 8 - len(msg))
    if msg[:4] != MAGIC:
        raise ValueError("bad request")
    n = struct.unpack("<I", msg[4:8])[0]
    body = recv_exact(conn, n)
    if len(body) != n:
        raise ValueError("short request")
    return list(fds), body.split(b"\0")[:-1]


def peer_creds(conn):
    """(pid, uid, gid) of the caller, from the kernel."""
    cred = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    return struct.unpack("3i", cred)


def peer_groups(pid, gid):
    """Supplementary groups of process pid."""
    try:
        with open("/proc/%d/status" % pid) as f:
            for ln in f:
                if ln.startswith("Groups:"):
                    return [int(x) for x in ln.split()[1:]]
    except (OSError, ValueError):
        pass
    return [gid]


def watch(conn, pid):
    """Worker thread: deliver forwarded signals; die with the caller."""
    signal.pthread_sigmask(signal.SIG_BLOCK, set(signal.Signals))
    while True:
        try:
            b = conn.recv(64)
        except OSError:
            b = b""
        if not b:
            os.kill(pid, signal.SIGKILL)
            return
        for s in b:
            try:
                os.kill(pid, s)
            except OSError:
                pass


def std_streams():
    """New sys.stdin/stdout/stderr over the caller's descriptors, set up as
    Python sets them up at start."""
    def stream(fd, mode, errors, line):
        try:
            os.fstat(fd)
        except OSError:
            return None
        raw = io.open(fd, mode + "b", buffering=0 if mode == "w" and fd == 2 else -1, closefd=False)
        return io.TextIOWrapper(raw, encoding="utf-8", errors=errors, line_buffering=line,
                                write_through=(fd == 2))
    sys.stdin = stream(0, "r", "surrogateescape", False)
    sys.stdout = stream(1, "w", "surrogateescape", os.isatty(1))
    sys.stderr = stream(2, "w", "backslashreplace", True)


def flush_streams():
    """Flush what the fake wrote; ignore a reader that is gone."""
    for s in (sys.stdout, sys.stderr):
        try:
            if s is not None:
                s.flush()
        except OSError:
            pass


def worker(conn):
    """The forked child: become the caller and run its fake. Never returns."""
    code = 1
    try:
        pid, uid, gid = peer_creds(conn)
        fds, fields = read_request(conn)
        fdmask = int(fields[0])
        umask = int(fields[1], 8)
        argc = int(fields[2])
        argv = [f.decode("utf-8", "surrogateescape") for f in fields[3:3 + argc]]
        env = fields[3 + argc:]
        # Standard streams: the caller's 0-2 (closed where the caller's were).
        k = 0
        for fd in range(3):
            if fdmask & (1 << fd):
                os.dup2(fds[k], fd)
                k += 1
            else:
                try:
                    os.close(fd)
                except OSError:
                    pass
        if k < len(fds):
            try:
                os.fchdir(fds[k])
            except OSError:
                pass
        for f in fds:
            if f > 2:
                os.close(f)
        os.umask(umask)
        os.environ.clear()
        for e in env:
            k2, sep, v = e.partition(b"=")
            if sep:
                os.environb[k2] = v
        if uid != 0 or gid != 0:
            os.setgroups(peer_groups(pid, gid))
            os.setresgid(gid, gid, gid)
            os.setresuid(uid, uid, uid)
        labcommon.CALLER_PID = pid
        sys.argv = argv
        std_streams()
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGHUP, signal.SIG_DFL)
        threading.Thread(target=watch, args=(conn, os.getpid()), daemon=True).start()
        try:
            code = labfakes.main(argv)
        except SystemExit as e:
            if e.code is None:
                code = 0
            elif isinstance(e.code, int):
                code = e.code
            else:
                sys.stderr.write("%s\n" % e.code)
                code = 1
        except KeyboardInterrupt:
            # As Python does: the traceback, then death by SIGINT.
            traceback.print_exc()
            flush_streams()
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGINT)
        except BaseException:
            traceback.print_exc()
            code = 1
        for s in (sys.stdout, sys.stderr):
            try:
                if s is not None:
                    s.flush()
            except BrokenPipeError:
                code = code or 120
            except OSError:
                pass
    except BaseException:
        try:
            traceback.print_exc()
        except BaseException:
            pass
    os._exit(code & 0xff if isinstance(code, int) else 1)


def serve(ready_fd):
    """Accept calls, fork a worker for each, send back their statuses."""
    try:
        os.unlink(SOCK)
    except FileNotFoundError:
        pass
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(SOCK)
    os.chmod(SOCK, 0o666)
    srv.listen(128)
    # Import every fake now, and what they import inside functions: a
    # worker pays for none of it.
    for mod, _fn in set(labfakes.TOOLS.values()):
        __import__(mod)
    for mod in PRELOAD:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                __import__(mod)
        except ImportError:
            pass
    gc.collect()
    gc.freeze()
    sel = selectors.DefaultSelector()
    sel.register(srv, selectors.EVENT_READ, None)
    if ready_fd >= 0:
        os.write(ready_fd, b"1")
        os.close(ready_fd)
    while True:
        for key, _ev in sel.select():
            if key.data is None:
                try:
                    conn, _ = srv.accept()
                except OSError:
                    continue
                pid = os.fork()
                if pid == 0:
                    srv.close()
                    sel.close()
                    worker(conn)
                pfd = os.pidfd_open(pid)
                sel.register(pfd, selectors.EVENT_READ, (pid, conn))
                continue
            pid, conn = key.data
            sel.unregister(key.fd)
            os.close(key.fd)
            _, st = os.waitpid(pid, 0)
            if os.WIFSIGNALED(st):
                msg = "signal %d\n" % os.WTERMSIG(st)
            else:
                msg = "exit %d\n" % os.WEXITSTATUS(st)
            try:
                conn.sendall(msg.encode())
            except OSError:
                pass
            conn.close()


def main():
    ready_fd = int(sys.argv[1]) if len(sys.argv) > 1 else -1
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    os.chdir("/")
    serve(ready_fd)


if __name__ == "__main__":
    main()
