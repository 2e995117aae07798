#!/bin/sh
# tests/bench/smoke.sh: the benchmark once at N = 3 (kubewiz, and
# ansible-playbook and parallel-ssh when installed), on a private lab.
# Asserts that every tool installed the cluster and that the table came
# out; never asserts on times. Skipped (77) when not root or when the lab
# cannot run here.
set -eu
top=${top_srcdir:-.}
: "${KUBEWIZ:?KUBEWIZ must name the built binary}"
[ "$(id -u)" -eq 0 ] || { echo "not root: skipped"; exit 77; }
[ -x /usr/sbin/sshd ] || { echo "no sshd: skipped"; exit 77; }
unshare --mount --uts --pid --fork true 2>/dev/null || { echo "no namespaces: skipped"; exit 77; }

out=$(mktemp -d "${TMPDIR:-/tmp}/kwbench-smoke.XXXXXX")
KUBEWIZ_LAB=$out/lab
# A loopback network no other lab uses (another build directory may run
# this test at the same time).
KUBEWIZ_LAB_NET=127.0.52
tries=0
while ip -o addr show dev lo | grep -q "inet $KUBEWIZ_LAB_NET\.1/" ||
    ss -Hltn | grep -q " $KUBEWIZ_LAB_NET\.1:"; do
	tries=$((tries + 1))
	[ "$tries" -lt 20 ] || { echo "no free loopback network: skipped"; exit 77; }
	KUBEWIZ_LAB_NET=127.$(od -An -N2 -tu1 /dev/urandom |
	    awk '{ print 100 + $1 % 100 "." 1 + $2 % 250 }')
done
export KUBEWIZ_LAB KUBEWIZ_LAB_NET
trap '"$top/tests/lab/lab" down >/dev/null 2>&1; rm -rf "$out"' EXIT

tools=kubewiz
command -v ansible-playbook >/dev/null 2>&1 && tools=$tools,ansible
command -v parallel-ssh >/dev/null 2>&1 && tools=$tools,pssh
"$top/tests/bench/run" --nodes 3 --runs 1 --tools "$tools" \
    --kubewiz "$KUBEWIZ" --out "$out/res" >"$out/run.log" 2>&1 || {
	cat "$out/run.log"; echo "FAIL: tests/bench/run failed"; exit 1; }
cat "$out/run.log"
fail=0
for t in $(echo "$tools" | tr , ' '); do
	grep -q "\"tool\": \"$t\".*\"exit\": 0" "$out/res/results.jsonl" || {
		echo "FAIL: $t did not install the lab cluster; its log:"
		tail -n 30 "$out/res/$t-3-1.log"
		fail=1
	}
done
grep -q '^kubewiz  *3  *1 ' "$out/res/table.txt" || { echo "FAIL: no kubewiz row in the table"; fail=1; }
"$top/tests/lab/lab" check-clean >/dev/null || { echo "FAIL: the lab left something behind"; fail=1; }
exit $fail
