#!/bin/sh
# secrets.sh: an install on a 3-node lab as a sudo user with a password
# (typed at kubewiz's question in a terminal), k8s-node1 a second control
# plane. Proves: the password never appears in any process's arguments
# during the install (every process's command line is sampled, the nodes'
# included) nor in the lab journals or sshd logs; no bootstrap token or
# certificate key is in the arguments of a node's process (sampled) or
# command (the lab journals record every kubeadm call's argv; kubeadm gets
# them in 0600 config files); no file of the state directory holding a
# secret (the token, the join token, the certificate key, the admin
# kubeconfig, the password) has any group or other permission, and its
# directories are 0700; on the nodes no such file under /etc/kubernetes,
# /root, /home, /var/lib/kubewiz, /tmp or /var/tmp is readable by others;
# the logs and kubewiz's output hold none of the secrets (tokens masked).
set -eu
# shellcheck disable=SC2034 # used by e2e-lib.sh
E2E_NAME=rel.secrets
# shellcheck disable=SC2034
E2E_NET=127.0.73
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
# shellcheck source=tests/e2e/e2e-lib.sh
. "$top_srcdir/tests/e2e/e2e-lib.sh"
# shellcheck source=tests/reliability/rel-lib.sh
. "$top_srcdir/tests/reliability/rel-lib.sh"
rel=$top_srcdir/tests/reliability

e2e_require_lab
RELPW=Rel-pw-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
export RELPW
e2e_lab_up 3 --os centos7 --user kw --sudo-password "$RELPW"
# k8s-node1 joins as a second control plane: the certificate key is used
# (init uploads the certificates, join-prep again, the join downloads them).
"$LAB" config --profile classic | sed -e 's/^\( *user:\) root$/\1 kw/' \
    -e 's/\(k8s-node1,.*role: \)worker/\1control-plane/' >"$E2E_TMP/cluster.yaml"
grep -q '^ *user: kw$' "$E2E_TMP/cluster.yaml" || e2e_fail "cannot set the SSH user"
[ "$(grep -c 'role: control-plane' "$E2E_TMP/cluster.yaml")" -eq 2 ] ||
	e2e_fail "cannot make k8s-node1 a control plane"
st=$E2E_TMP/state

python3 "$rel/argv-watch.py" "$E2E_TMP/stop" "$E2E_TMP/argv.hits" &
wpid=$!
rc=0
python3 "$rel/pty-run.py" "$E2E_TMP/install.out" "$KUBEWIZ" --no-tui \
    --state-dir "$st" install -f "$E2E_TMP/cluster.yaml" --yes || rc=$?
touch "$E2E_TMP/stop"
wait "$wpid"
[ "$rc" -eq 0 ] || { cat "$E2E_TMP/install.out"; e2e_fail "install exited $rc"; }
grep -qi 'password' "$E2E_TMP/install.out" || e2e_fail "no password was asked"
grep -q 'sudo' "$st/lab/logs/k8s-master/01-connect.log" ||
	e2e_fail "the install did not go through sudo"
[ ! -s "$E2E_TMP/argv.hits" ] ||
	{ cat "$E2E_TMP/argv.hits"; e2e_fail "a secret is in a process's arguments"; }
grep -q '^node-processes [1-9]' "$E2E_TMP/argv.hits.stats" ||
	e2e_fail "the argv sampler saw no process of the lab's nodes: $(cat "$E2E_TMP/argv.hits.stats")"
# The secrets file: the password and every value of secrets.yaml, and the
# admin kubeconfig's client key.
sf=$KUBEWIZ_LAB/secrets.txt
(umask 077
 printf '%s\n' "$RELPW" >"$E2E_TMP/pw"
 printf '%s\n' "$RELPW" >"$sf"
 sed -n 's/^  [A-Z_]*: //p' "$st/lab/secrets.yaml" | tr -d "\"'" >>"$sf"
 sed -n 's/^ *client-key-data: //p' "$st/lab/admin.conf" >>"$sf")
grep -q '^  BOOTSTRAP_TOKEN: ' "$st/lab/secrets.yaml" || e2e_fail "no token in secrets.yaml"
grep -q '^  CERT_KEY: ' "$st/lab/secrets.yaml" || e2e_fail "no certificate key in secrets.yaml"
[ "$(wc -l <"$sf")" -ge 5 ] || e2e_fail "too few secrets to look for"
for i in 1 2 3; do
	! grep -qF -f "$E2E_TMP/pw" "$KUBEWIZ_LAB/nodes/$i/journal" "$KUBEWIZ_LAB/nodes/$i/sshd.log" ||
		e2e_fail "the password is in node $i's journal (argv) or sshd log"
	! grep -qF -f "$sf" "$KUBEWIZ_LAB/nodes/$i/journal" ||
		e2e_fail "a secret of secrets.yaml is in node $i's journal (a command's arguments): $(grep -F -f "$sf" "$KUBEWIZ_LAB/nodes/$i/journal")"
done
python3 "$rel/argv-watch.py" --check "$KUBEWIZ_LAB"/nodes/*/journal ||
	e2e_fail "a bootstrap token or certificate key is in a node command's arguments (lab journals above)"
for i in 2 3; do
	"$LAB" journal "$i" | grep -q 'kubeadm join --config ' ||
		e2e_fail "node $i did not join from a config file"
done
"$LAB" journal 1 | grep -q 'kubeadm init phase upload-certs --upload-certs --config ' ||
	e2e_fail "the certificates were not uploaded for the control-plane join"
e2e_ok "the password was typed, reached sudo, and is in no process's arguments; nor is any token or certificate key"

python3 "$rel/scan-secrets.py" "$sf" --mode go "$st" ||
	e2e_fail "state files holding secrets are readable by others"
! grep -rqF -f "$sf" "$st/lab/logs" "$st/lab/state.yaml" "$st/lab/config.yaml" ||
	e2e_fail "a secret is in the logs or state.yaml: $(grep -rlF -f "$sf" "$st/lab/logs" "$st/lab/state.yaml")"
! grep -qF -f "$sf" "$E2E_TMP/install.out" || e2e_fail "kubewiz printed a secret"
grep -rq '\*\*\*' "$st/lab/logs" || e2e_fail "no masked value in the logs"
e2e_ok "state: secrets only in 0600 files of 0700 directories; logs masked"

cp "$rel/scan-secrets.py" "$KUBEWIZ_LAB/"
for i in 1 2 3; do
	"$LAB" ssh "$i" python3 /var/lib/kubewiz-lab/scan-secrets.py \
	    /var/lib/kubewiz-lab/secrets.txt --mode o /etc/kubernetes /root /home \
	    /var/lib/kubewiz /tmp /var/tmp >"$E2E_TMP/scan.$i" 2>&1 ||
		{ cat "$E2E_TMP/scan.$i"; e2e_fail "node $i: files holding secrets readable by others"; }
done
grep -q '[1-9][0-9]* file(s) hold secrets' "$E2E_TMP/scan.1" ||
	e2e_fail "the scan of the master found no file with secrets: $(cat "$E2E_TMP/scan.1")"
e2e_ok "nodes: files holding secrets are not readable by others"
