#!/usr/bin/env python3
# pty-run.py: run a command in a pseudo-terminal (as a person would), copy
# its output to OUTFILE and type $RELPW (from the environment, never argv)
# at every password question. Exits with the command's status.
# usage: pty-run.py OUTFILE CMD...
import os, pty, re, sys

out = open(sys.argv[1], "wb")
answer = os.environ.get("RELPW", "").encode() + b"\n"
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
pending = b""
while True:
    try:
        data = os.read(fd, 4096)
    except OSError:
        break
    if not data:
        break
    out.write(data)
    out.flush()
    pending = (pending + data)[-512:]
    if re.search(rb"(?i)(password|passphrase|secret)[^\n]*: *$", pending):
        os.write(fd, answer)
        pending = b""
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status) & 0xff)
