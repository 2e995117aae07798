#!/bin/sh
# disk-full.sh: the state directory's file system fills up. The state lives
# on a small tmpfs; an install fails on k8s-node2 (injected fault), the
# tmpfs is filled, and resume must fail with a clear error (exit non-zero,
# "No space left on device" naming what could not be written) while
# state.yaml and secrets.yaml stay exactly as they were and parse. Once
# space is freed (and the fault cleared), resume finishes.
set -eu
# shellcheck disable=SC2034 # used by e2e-lib.sh
E2E_NAME=rel-disk-full
# shellcheck disable=SC2034
E2E_NET=127.0.80
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
# shellcheck source=tests/e2e/e2e-lib.sh
. "$top_srcdir/tests/e2e/e2e-lib.sh"
# shellcheck source=tests/reliability/rel-lib.sh
. "$top_srcdir/tests/reliability/rel-lib.sh"

e2e_require_lab
e2e_lab_up 3 --os centos7
st=$E2E_TMP/state
mkdir -m 700 "$st"
mount -t tmpfs -o size=4m,mode=0700 kw-rel-state "$st" ||
	{ echo "SKIP: cannot mount a tmpfs"; exit 77; }
trap 'umount "$st" 2>/dev/null || true; e2e_cleanup' EXIT
"$LAB" config --profile classic >"$E2E_TMP/cluster.yaml"
"$LAB" fault 3 'yum install -y docker-ce*' fail

rc=0
"$KUBEWIZ" --no-tui --state-dir "$st" install -f "$E2E_TMP/cluster.yaml" \
    --yes >"$E2E_TMP/install.out" 2>&1 || rc=$?
[ "$rc" -eq 1 ] || { cat "$E2E_TMP/install.out"; e2e_fail "install exited $rc, not 1"; }
cp "$st/lab/state.yaml" "$st/lab/secrets.yaml" "$E2E_TMP/"

# Fill the file system to the last block.
dd if=/dev/zero of="$st/fill" bs=64k >/dev/null 2>&1 || true
[ "$(df --output=avail "$st" | tail -n 1 | tr -d ' ')" -eq 0 ] || e2e_fail "the tmpfs is not full"
rc=0
"$KUBEWIZ" --no-tui --state-dir "$st" resume lab >"$E2E_TMP/full.out" 2>&1 || rc=$?
[ "$rc" -ne 0 ] || { cat "$E2E_TMP/full.out"; e2e_fail "resume on a full disk exited 0"; }
grep -q 'No space left on device' "$E2E_TMP/full.out" ||
	{ cat "$E2E_TMP/full.out"; e2e_fail "no clear 'No space left on device' error"; }
cmp -s "$st/lab/state.yaml" "$E2E_TMP/state.yaml" || e2e_fail "state.yaml changed"
cmp -s "$st/lab/secrets.yaml" "$E2E_TMP/secrets.yaml" || e2e_fail "secrets.yaml changed"
python3 -c 'import sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
assert d.get("kubewiz-state") is not None, "no kubewiz-state key"' "$st/lab/state.yaml" ||
	e2e_fail "state.yaml does not parse"
e2e_ok "full disk: exit $rc, '$(grep -m1 'No space left' "$E2E_TMP/full.out")'; state.yaml and secrets.yaml intact"

rm -f "$st/fill"
"$LAB" fault 3 --clear
rel_resume_ok "$st" "$E2E_TMP/resume.out"
why=$(rel_check_end_state "$st" "$E2E_TMP/resume.out" 2 3) || e2e_fail "$why"
e2e_ok "space freed: resume finished, init once, each join once"
