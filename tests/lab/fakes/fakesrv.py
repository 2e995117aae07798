"""fakesrv: a node's fake server. Started by lab_boot inside the node's
namespaces, it imports the fakes once; the C shim (fakes/shim.c, what the
tools' symlinks point to) connects to the unix socket SOCK for each call.
The server reads the call and hands it to a worker: a child forked from the
server that runs calls one after another (forking a Python process for
every call cost more CPU than the fake itself). For each call the worker
takes the caller's argv, environment, standard streams and working directory
(passed as descriptors), umask and credentials (SO_PEERCRED), runs the fake
exactly as `fakes/fake` would, lets go of the caller's descriptors and
reports the status, which the server sends back to the shim. Signals the
shim gets are forwarded to the worker (a worker killed by one is replaced);
if the shim dies (SIGKILL), so does its worker. A worker that took a
non-root caller's credentials cannot take them back, so it ends after that
call; every worker ends after MAX_CALLS calls. Only the per-call cost of
starting Python is saved: the journal, faults, delays and state are the
fakes' own.

Protocol (stream socket): the shim sends "KWF1", a 4-byte little-endian
length L with its descriptors (SCM_RIGHTS: fd 0, 1, 2, then the working
directory; a bit in the payload says which of 0-2 were open), then L bytes:
NUL-terminated fields "FDMASK", "UMASK", "ARGC", argv..., then the
environment until the end. Afterwards each byte the shim sends is a signal
number to deliver to the worker. The server answers with one line,
"exit N\\n" or "signal N\\n".

Between the server and a worker (a SOCK_SEQPACKET pair): the server sends
one message per call, "PID UID GID\\0" and the request's fields, with the
call's descriptors; the worker answers "done N" (or "last N" when it ends
after this call)."""

import array
import gc
import io
import os
import selectors
import signal
import socket
import struct
import sys
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
# Calls a worker runs before it ends, and idle workers the server keeps.
MAX_CALLS = 500
MAX_IDLE = 4


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
    """Flush what the fake wrote; ignore a reader that is gone. Returns
    whether a reader was gone (as Python's exit reports it, status 120)."""
    gone = False
    for s in (sys.stdout, sys.stderr):
        try:
            if s is not None:
                s.flush()
        except BrokenPipeError:
            gone = True
        except OSError:
            pass
    return gone


def become_caller(fds, fields, pid, uid, gid):
    """Take the caller's streams, directory, umask, environment and
    credentials; return its argv."""
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
    try:
        if k < len(fds):
            os.fchdir(fds[k])
        else:
            os.chdir("/")
    except OSError:
        os.chdir("/")
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
    return argv


def let_go():
    """Drop the caller's streams and directory: its pipes must see their end
    of file when the call ends, not when this worker does."""
    sys.stdin = sys.stdout = sys.stderr = None
    null = os.open(os.devnull, os.O_RDWR)
    for fd in range(3):
        os.dup2(null, fd)
    if null > 2:
        os.close(null)
    os.chdir("/")
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def run_call(argv):
    """Run the fake for argv as `fakes/fake` would; its exit status."""
    code = 1
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
    if flush_streams():
        code = code or 120
    if not isinstance(code, int):
        code = 1
    return code & 0xff


def worker(ctl):
    """The forked child: run the calls the server hands over on ctl until it
    closes ctl, MAX_CALLS are done or a caller was not root. Never returns."""
    code = 1
    calls = 0
    try:
        while True:
            fds = array.array("i")
            msg, anc, _flags, _addr = ctl.recvmsg(1 << 20, socket.CMSG_SPACE(8 * fds.itemsize))
            if not msg:
                break
            for level, typ, data in anc:
                if level == socket.SOL_SOCKET and typ == socket.SCM_RIGHTS:
                    fds.frombytes(data[:len(data) - len(data) % fds.itemsize])
            head, _, rest = msg.partition(b"\0")
            pid, uid, gid = (int(x) for x in head.split())
            argv = become_caller(list(fds), rest.split(b"\0")[:-1], pid, uid, gid)
            kstate = sys.modules.get("kstate")
            if kstate is not None:
                kstate.reset_cache()
            code = run_call(argv)
            let_go()
            calls += 1
            last = uid != 0 or gid != 0 or calls >= MAX_CALLS
            ctl.send(b"%s %d" % (b"last" if last else b"done", code))
            if last:
                break
    except BaseException:
        try:
            traceback.print_exc()
        except BaseException:
            pass
    os._exit(code)


class Worker:
    """The server's view of a worker: its pid, pidfd, control socket and
    the shim connection it serves (None when idle)."""

    def __init__(self, pid, pidfd, ctl):
        self.pid = pid
        self.pidfd = pidfd
        self.ctl = ctl
        self.conn = None
        self.last = False


def recv_some(sock, flags=0):
    """Up to 64 bytes from sock; b"" at its end or on an error."""
    try:
        return sock.recv(64, flags)
    except OSError:
        return b""


def reply(w, msg):
    """Answer w's caller with msg and forget the call."""
    try:
        w.conn.sendall(msg.encode())
    except OSError:
        pass
    w.conn.close()
    w.conn = None


def serve(ready_fd):
    """Accept calls, hand each to an idle worker (forking one when none is
    idle), forward the callers' signals and send back the statuses."""
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
    sel.register(srv, selectors.EVENT_READ, ("accept", None))
    idle = []
    if ready_fd >= 0:
        os.write(ready_fd, b"1")
        os.close(ready_fd)

    def spawn(conn, fds):
        """A new idle worker, forked from this pristine server while it
        holds the call conn and its descriptors fds."""
        a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        pid = os.fork()
        if pid == 0:
            a.close()
            # Nothing of the server's: not its listener, other workers'
            # sockets and pidfds, nor the calls they serve (a caller's pipe
            # held here would never see its end of file).
            conn.close()
            for f in fds:
                os.close(f)
            for key in list(sel.get_map().values()):
                if isinstance(key.fileobj, int):
                    os.close(key.fileobj)
                else:
                    key.fileobj.close()
            sel.close()
            worker(b)
        b.close()
        w = Worker(pid, os.pidfd_open(pid), a)
        sel.register(w.ctl, selectors.EVENT_READ, ("ctl", w))
        sel.register(w.pidfd, selectors.EVENT_READ, ("exit", w))
        return w

    def retire(w):
        """w has ended: reap it and tell its caller, if any, how."""
        for f in (w.ctl, w.pidfd):
            try:
                sel.unregister(f)
            except (KeyError, ValueError):
                pass
        if w.conn is not None:
            # A status the worker sent just before it ended wins.
            m = recv_some(w.ctl, socket.MSG_DONTWAIT)
            if m:
                reply(w, "exit %d\n" % int(m.split()[1]))
        _, st = os.waitpid(w.pid, 0)
        if w.conn is not None:
            if os.WIFSIGNALED(st):
                reply(w, "signal %d\n" % os.WTERMSIG(st))
            else:
                reply(w, "exit %d\n" % os.WEXITSTATUS(st))
        if w in idle:
            idle.remove(w)
        w.ctl.close()
        os.close(w.pidfd)

    while True:
        for key, _ev in sel.select():
            kind, w = key.data
            if kind == "accept":
                try:
                    conn, _ = srv.accept()
                except OSError:
                    continue
                try:
                    pid, uid, gid = peer_creds(conn)
                    fds, fields = read_request(conn)
                except (OSError, ValueError, struct.error):
                    conn.close()
                    continue
                w = idle.pop() if idle else spawn(conn, fds)
                w.conn = conn
                try:
                    w.ctl.sendmsg([b"%d %d %d\0" % (pid, uid, gid) + b"".join(f + b"\0" for f in fields)],
                                  [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", fds))] if fds else [])
                except OSError:
                    os.kill(w.pid, signal.SIGKILL)
                for f in fds:
                    os.close(f)
                sel.register(conn, selectors.EVENT_READ, ("conn", w))
            elif kind == "conn":
                # Bytes from the shim are signals; its end of file is its death.
                b = recv_some(w.conn)
                if not b:
                    sel.unregister(w.conn)
                    os.kill(w.pid, signal.SIGKILL)
                    w.conn.close()
                    w.conn = None
                    continue
                for s in b:
                    try:
                        os.kill(w.pid, s)
                    except OSError:
                        pass
            elif kind == "ctl":
                m = recv_some(w.ctl)
                if not m:
                    continue
                word, code = m.split()
                if w.conn is not None:
                    sel.unregister(w.conn)
                    reply(w, "exit %d\n" % int(code))
                if word == b"last" or len(idle) >= MAX_IDLE:
                    w.last = True
                    if word != b"last":
                        w.ctl.shutdown(socket.SHUT_WR)
                else:
                    idle.append(w)
            elif kind == "exit":
                if w.conn is not None:
                    try:
                        sel.unregister(w.conn)
                    except (KeyError, ValueError):
                        pass
                retire(w)


def main():
    ready_fd = int(sys.argv[1]) if len(sys.argv) > 1 else -1
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    os.chdir("/")
    serve(ready_fd)


if __name__ == "__main__":
    main()
