#!/usr/bin/env python3
# check-token.py: whether the Dashboard token in TOKEN_FILE and the NodePort
# PORT are the ones the lab's API server issued: the token is admin-user's
# and matches, by header and subject, an admin-user token Secret of
# SECRETS_JSON (the lab signs each token afresh, so what identifies the
# issuer and the account is compared), and a Service of SVC_JSON has that
# nodePort. SECRETS_JSON and SVC_JSON are "kubectl -n kubernetes-dashboard
# get secret|svc -o json" from the lab. Exits 0, or 1 saying what differs.
# usage: check-token.py SECRETS_JSON SVC_JSON TOKEN_FILE PORT
import base64
import json
import sys


def part(tok, i):
    """Part i (0 header, 1 claims) of a JWT, decoded."""
    s = tok.split(".")[i]
    return json.loads(base64.urlsafe_b64decode(s + "=" * (-len(s) % 4)))


def main(secrets, svcs, token_file, port):
    with open(token_file) as f:
        token = f.read().strip()
    mine = (part(token, 0), part(token, 1))
    if mine[1].get("sub") != "system:serviceaccount:kubernetes-dashboard:admin-user":
        return "the token is not admin-user's: %r" % mine[1].get("sub")
    found = False
    with open(secrets) as f:
        items = json.load(f).get("items", [])
    for o in items:
        ann = (o.get("metadata") or {}).get("annotations") or {}
        tok = (o.get("data") or {}).get("token")
        if ann.get("kubernetes.io/service-account.name") == "admin-user" and tok:
            lab = base64.b64decode(tok).decode()
            if part(lab, 0) == mine[0] and part(lab, 1)["sub"] == mine[1]["sub"]:
                found = True
    if not found:
        return "the token was not issued by the lab"
    with open(svcs) as f:
        ports = [p.get("nodePort") for o in json.load(f).get("items", [])
                 for p in (o.get("spec") or {}).get("ports", [])]
    if port not in ports:
        return "no Dashboard service has nodePort %d (%r)" % (port, ports)
    return None


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit("usage: check-token.py SECRETS_JSON SVC_JSON TOKEN_FILE PORT")
    why = main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]))
    if why:
        sys.exit(why)
