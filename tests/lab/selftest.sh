#!/bin/bash
# The node scripts below are single-quoted on purpose: they expand on the node.
# shellcheck disable=SC2016,SC2317
# selftest.sh: the lab's own test. Drives 3 lab nodes by hand over real ssh
# through the classic sequence (CentOS 7, Docker, Kubernetes 1.20.9, kubeadm
# flags) and the modern one (Debian 12, containerd 2.x, current Kubernetes, a
# kubeadm config file, a non-root user with sudo), checks the end state, and
# proves that the fakes fail for the usual mistakes: init before swapoff,
# images from registry.k8s.io, join without the cluster-endpoint hosts line,
# join with an expired token, Calico with the wrong pool CIDR; and the
# containerd traps (CRI disabled by the containerd.io package, containerd 2.1
# without SystemdCgroup).
# Exit 77 (skipped) when not root or when namespaces cannot be created.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u

here=$(cd "$(dirname "$0")" && pwd)
LABCMD=$here/lab
if [ "$(id -u)" -ne 0 ]; then
	echo "selftest: not root; skipped"
	exit 77
fi
if ! unshare --mount --uts --pid --fork true 2>/dev/null; then
	echo "selftest: cannot create namespaces; skipped"
	exit 77
fi
for t in sshd ssh ssh-keygen python3 openssl; do
	command -v "$t" >/dev/null 2>&1 || [ -x "/usr/sbin/$t" ] || { echo "selftest: $t missing; skipped"; exit 77; }
done
python3 -c 'import yaml' 2>/dev/null || { echo "selftest: python3-yaml missing; skipped"; exit 77; }

KUBEWIZ_LAB=$(mktemp -d /tmp/kw-lab-selftest.XXXXXX)
rmdir "$KUBEWIZ_LAB"
export KUBEWIZ_LAB
# A subnet no other lab uses: a lock per subnet (held until exit) against
# other self-tests, and no listener on it against other labs.
pick_net() {
	local n
	for n in 19 $(seq 200 250); do
		exec {lockfd}>"/tmp/kubewiz-lab-net-127.0.$n.lock"
		if flock -n "$lockfd" && ! ss -Hltn | awk '{print $4}' | grep -q "^127\.0\.$n\." &&
			[ ! -L "/tmp/kubewiz-lab-claims/127.0.$n:2222" ]; then
			NET=127.0.$n
			return 0
		fi
		exec {lockfd}>&-
	done
	return 1
}
if [ -n "${SELFTEST_NET:-}" ]; then
	NET=$SELFTEST_NET
else
	pick_net || { echo "selftest: no free 127.0.x subnet"; exit 1; }
fi
export KUBEWIZ_LAB_NET=$NET
fails=0
step=0

cleanup() {
	"$LABCMD" down >/dev/null 2>&1 || true
}
trap cleanup EXIT

lab() { "$LABCMD" "$@"; }
say() { step=$((step + 1)); printf '%3d %s\n' "$step" "$*"; }
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }

# run NODE SCRIPT: run a shell script on a node as root; output in $OUT, status in $RC.
run() {
	OUT=$(lab ssh "$1" "$2" 2>&1)
	RC=$?
}
# expect_ok NODE WHAT SCRIPT
expect_ok() {
	run "$1" "$3"
	[ "$RC" -eq 0 ] || { bad "$2 (node $1, exit $RC)"; printf '%s\n' "$OUT" | tail -15 | sed 's/^/    | /'; }
}
# expect_fail NODE WHAT PATTERN SCRIPT: must fail and print PATTERN (grep -E).
expect_fail() {
	run "$1" "$4"
	if [ "$RC" -eq 0 ]; then
		bad "$2 should have failed (node $1)"
	elif ! printf '%s\n' "$OUT" | grep -qE -- "$3"; then
		bad "$2 failed without '$3' (node $1)"
		printf '%s\n' "$OUT" | tail -10 | sed 's/^/    | /'
	fi
}
# expect_out NODE WHAT PATTERN SCRIPT: must succeed and print PATTERN.
expect_out() {
	run "$1" "$4"
	if [ "$RC" -ne 0 ] || ! printf '%s\n' "$OUT" | grep -qE -- "$3"; then
		bad "$2 (node $1, exit $RC, wanted '$3')"
		printf '%s\n' "$OUT" | tail -10 | sed 's/^/    | /'
	fi
}

host_sum=$(cat /etc/hostname /etc/hosts /etc/fstab 2>/dev/null | sha256sum)
host_name=$(hostname)

# ---------------------------------------------------------------------------
echo "== classic: CentOS 7, Docker, Kubernetes 1.20.9, kubeadm flags"
say "lab up 3 --os centos7"
lab up 3 --os centos7 >/dev/null || { bad "lab up"; exit 1; }

say "fresh VM state"
expect_out 1 "swap on at start" '/dev/mapper/centos-swap' 'swapon --show'
expect_out 1 "SELinux enforcing at start" '^Enforcing$' 'getenforce'
expect_out 1 "firewalld active at start" '^active$' 'systemctl is-active firewalld'
expect_out 1 "ip_forward 0 at start" '^0$' 'sysctl -n net.ipv4.ip_forward'
expect_fail 1 "no br_netfilter at start" 'No such file' 'cat /proc/sys/net/bridge/bridge-nf-call-iptables'
expect_fail 1 "no kubeadm at start" 'not found' 'kubeadm version'
expect_out 1 "hostname localhost" '^localhost$' 'hostname'
expect_out 1 "os-release is CentOS 7" 'CentOS Linux 7' 'cat /etc/os-release /etc/redhat-release'
expect_fail 1 "CentOS 7 mirrorlist is gone" 'mirrorlist.centos.org' 'yum install -y wget'

# The classic node preparation, except swap (node 1 keeps it for a test).
prep_classic='set -e
N=$1; CP=$2; KEEPSWAP=$3
hostnamectl set-hostname "$N"
if [ "$N" != k8s-node1 ]; then grep -qw cluster-endpoint /etc/hosts || echo "$CP cluster-endpoint" >>/etc/hosts; fi
if [ "$KEEPSWAP" = no ]; then swapoff -a; sed -ri "/\sswap\s/s/^#*/#/" /etc/fstab; fi
setenforce 0; sed -i "s/^SELINUX=enforcing$/SELINUX=permissive/" /etc/selinux/config
systemctl disable --now firewalld
printf "overlay\nbr_netfilter\n" >/etc/modules-load.d/k8s.conf; modprobe overlay; modprobe br_netfilter
printf "net.bridge.bridge-nf-call-iptables = 1\nnet.bridge.bridge-nf-call-ip6tables = 1\nnet.ipv4.ip_forward = 1\n" >/etc/sysctl.d/k8s.conf
sysctl --system >/dev/null
sed -i -e "s|^mirrorlist=|#mirrorlist=|" -e "s|^#baseurl=http://mirror.centos.org/centos/\$releasever|baseurl=https://vault.centos.org/7.9.2009|" /etc/yum.repos.d/CentOS-Base.repo
yum-config-manager --add-repo https://mirrors.aliyun.com/docker-ce/linux/centos/docker-ce.repo >/dev/null
sed -i "s#https://download.docker.com#https://mirrors.aliyun.com/docker-ce#g" /etc/yum.repos.d/docker-ce.repo
yum install -y docker-ce-20.10.7 docker-ce-cli-20.10.7 containerd.io-1.4.6 >/dev/null
mkdir -p /etc/docker
printf "{\"exec-opts\":[\"native.cgroupdriver=systemd\"],\"log-driver\":\"json-file\",\"storage-driver\":\"overlay2\"}\n" >/etc/docker/daemon.json
systemctl daemon-reload; systemctl enable --now docker 2>/dev/null
[ "$(docker info -f "{{.CgroupDriver}}")" = systemd ]
printf "[kubernetes]\nname=Kubernetes\nbaseurl=http://mirrors.aliyun.com/kubernetes/yum/repos/kubernetes-el7-x86_64\nenabled=1\ngpgcheck=0\nrepo_gpgcheck=0\nexclude=kubelet kubeadm kubectl\n" >/etc/yum.repos.d/kubernetes.repo
yum install -y kubelet-1.20.9 kubeadm-1.20.9 kubectl-1.20.9 --disableexcludes=kubernetes >/dev/null
systemctl enable --now kubelet 2>/dev/null
[ "$(kubeadm version -o short)" = v1.20.9 ]'

say "excluded packages need --disableexcludes"
expect_fail 2 "kubeadm from an excluded repo" 'Nothing to do|No package kubeadm' \
	'printf "[kubernetes]\nname=Kubernetes\nbaseurl=http://mirrors.aliyun.com/kubernetes/yum/repos/kubernetes-el7-x86_64\nenabled=1\ngpgcheck=0\nexclude=kubelet kubeadm kubectl\n" >/etc/yum.repos.d/kubernetes.repo; sed -i -e "s|^mirrorlist=|#mirrorlist=|" -e "s|^#baseurl=http://mirror.centos.org/centos/\$releasever|baseurl=https://vault.centos.org/7.9.2009|" /etc/yum.repos.d/CentOS-Base.repo; yum install -y kubeadm-1.20.9'
expect_fail 2 "a version the repo does not have" 'No package kubeadm-1.20.99' 'yum install -y kubeadm-1.20.99 --disableexcludes=kubernetes'

say "prepare the three nodes (in parallel)"
pids=()
for i in 1 2 3; do
	name=k8s-node$((i - 1))
	[ "$i" = 1 ] && name=k8s-master
	keep=no
	[ "$i" = 1 ] && keep=yes
	lab ssh "$i" "bash -s $name $NET.1 $keep" <<<"$prep_classic" >"$KUBEWIZ_LAB.prep$i" 2>&1 &
	pids+=($!)
done
for i in 1 2 3; do
	wait "${pids[$((i - 1))]}" || { bad "classic preparation of node $i"; tail -15 "$KUBEWIZ_LAB.prep$i" | sed 's/^/    | /'; }
	rm -f "$KUBEWIZ_LAB.prep$i"
done

init_flags="--apiserver-advertise-address=$NET.1 --control-plane-endpoint=cluster-endpoint --kubernetes-version v1.20.9 --service-cidr=10.96.0.0/16 --pod-network-cidr=192.168.0.0/16"
say "init before swapoff fails"
expect_fail 1 "init with swap on" '\[ERROR Swap\]' \
	"kubeadm init $init_flags --image-repository registry.cn-hangzhou.aliyuncs.com/lfy_k8s_images"
expect_ok 1 "swapoff" 'swapoff -a; sed -ri "/\sswap\s/s/^#*/#/" /etc/fstab; [ -z "$(swapon --show)" ]'

say "images from registry.k8s.io / k8s.gcr.io fail"
expect_fail 1 "init with upstream images" '\[ERROR ImagePull\]: failed to pull image k8s.gcr.io/kube-apiserver:v1.20.9' \
	"kubeadm init $init_flags"
expect_fail 1 "pull from registry.k8s.io" 'ImagePull|failed to pull image' \
	'kubeadm config images pull --kubernetes-version v1.20.9 --image-repository registry.k8s.io'

say "kubeadm init (flags, Aliyun mirror)"
expect_out 1 "kubeadm init" 'Your Kubernetes control-plane has initialized successfully!' \
	"T=\$(kubeadm token generate); kubeadm init $init_flags --image-repository registry.cn-hangzhou.aliyuncs.com/lfy_k8s_images --token \$T"
printf '%s\n' "$OUT" | grep -q 'You can now join any number of control-plane nodes by copying certificate authorities' ||
	bad "init output lacks the control-plane join text"
printf '%s\n' "$OUT" | grep -qP '^\t--discovery-token-ca-cert-hash sha256:[0-9a-f]{64}' ||
	bad "init output lacks the tab-indented join continuation lines"
expect_fail 1 "second init" '\[ERROR Port-6443\]' "kubeadm init $init_flags --image-repository registry.cn-hangzhou.aliyuncs.com/lfy_k8s_images"
expect_ok 1 "kubeconfig" 'mkdir -p $HOME/.kube; cp -f /etc/kubernetes/admin.conf $HOME/.kube/config'
expect_out 1 "readyz" '^ok$' 'kubectl get --raw=/readyz'

say "the CA hash from openssl matches kubeadm's"
run 1 "openssl x509 -pubkey -in /etc/kubernetes/pki/ca.crt | openssl rsa -pubin -outform der 2>/dev/null | openssl dgst -sha256 -hex | sed 's/^.* //'"
hash=$OUT
run 1 'kubeadm token create --ttl 2h --print-join-command'
join=$OUT
case "$join" in
"kubeadm join cluster-endpoint:6443 --token "*" --discovery-token-ca-cert-hash sha256:$hash "*) ;;
*) bad "join command '$join' does not carry the openssl hash $hash" ;;
esac

say "join without the cluster-endpoint hosts line fails"
expect_fail 2 "join without hosts line" 'lookup cluster-endpoint.*no such host' "$join"
expect_ok 2 "hosts line" "echo '$NET.1 cluster-endpoint' >>/etc/hosts"
expect_out 2 "join node1" 'This node has joined the cluster' "$join"
expect_fail 2 "second join" 'FileAvailable--etc-kubernetes-kubelet.conf' "$join"

say "join with an expired token fails (lab clock +25h)"
run 1 'kubeadm token create --ttl 24h --print-join-command'
old=$OUT
lab clock +25h >/dev/null
expect_fail 3 "join with expired token" 'could not find a JWS signature in the cluster-info ConfigMap for token ID' "$old"
run 1 'kubeadm token create --ttl 2h --print-join-command'
fresh=$OUT
expect_fail 3 "join with a wrong CA hash" 'none of the public keys' \
	"$(printf '%s' "$fresh" | sed 's/sha256:[0-9a-f]*/sha256:0000000000000000000000000000000000000000000000000000000000000000/')"
run 1 'true'
OUT=$fresh
expect_out 3 "join node2 with a fresh token" 'This node has joined the cluster' "$OUT"

say "Calico with the wrong CIDR: nodes stay NotReady"
calico_get='curl -fsSL -o /root/calico.yaml https://docs.projectcalico.org/v3.20/manifests/calico.yaml'
expect_ok 1 "download Calico v3.20" "$calico_get"
expect_fail 1 "latest Calico on 1.20" 'no matches for kind "PodDisruptionBudget" in version "policy/v1"' \
	'kubectl apply -f https://docs.projectcalico.org/manifests/calico.yaml'
expect_ok 1 "Calico with 10.10.0.0/16" \
	'sed -e "s|# - name: CALICO_IPV4POOL_CIDR|- name: CALICO_IPV4POOL_CIDR|" -e "s|#   value: \"192.168.0.0/16\"|  value: \"10.10.0.0/16\"|" /root/calico.yaml >/root/calico-bad.yaml; kubectl apply -f /root/calico-bad.yaml >/dev/null'
expect_fail 1 "calico-node rollout with the wrong CIDR" 'timed out' 'kubectl -n kube-system rollout status ds/calico-node --timeout=2s'
run 1 'kubectl get nodes --no-headers'
[ "$(printf '%s\n' "$OUT" | grep -c ' NotReady ')" = 3 ] || bad "nodes should all be NotReady with the wrong CIDR: $OUT"
expect_ok 1 "Calico with 192.168.0.0/16" \
	'sed -e "s|# - name: CALICO_IPV4POOL_CIDR|- name: CALICO_IPV4POOL_CIDR|" -e "s|#   value: \"192.168.0.0/16\"|  value: \"192.168.0.0/16\"|" /root/calico.yaml >/root/calico-ok.yaml; kubectl apply -f /root/calico-ok.yaml >/dev/null'
expect_out 1 "calico-node rolls out" 'successfully rolled out' 'kubectl -n kube-system rollout status ds/calico-node --timeout=300s'

say "Dashboard v2.3.1, NodePort, admin-user token"
expect_fail 1 "dashboard URL before deploy" '' 'curl -ks -m 5 https://'"$NET"'.2:30443/'
expect_ok 1 "dashboard" 'kubectl apply -f https://raw.githubusercontent.com/kubernetes/dashboard/v2.3.1/aio/deploy/recommended.yaml >/dev/null &&
kubectl -n kubernetes-dashboard patch svc kubernetes-dashboard -p "{\"spec\":{\"type\":\"NodePort\",\"ports\":[{\"port\":443,\"nodePort\":30443}]}}" &&
printf "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: admin-user\n  namespace: kubernetes-dashboard\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: admin-user\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: cluster-admin\nsubjects:\n- kind: ServiceAccount\n  name: admin-user\n  namespace: kubernetes-dashboard\n" | kubectl apply -f - &&
kubectl -n kubernetes-dashboard rollout status deploy/kubernetes-dashboard --timeout=300s'
expect_out 1 "NodePort" '^30443$' "kubectl -n kubernetes-dashboard get svc kubernetes-dashboard -o jsonpath='{.spec.ports[0].nodePort}'"
expect_out 1 "admin-user token (secret, 1.20)" '^eyJ' \
	"kubectl -n kubernetes-dashboard get secret \$(kubectl -n kubernetes-dashboard get sa/admin-user -o jsonpath='{.secrets[0].name}') -o go-template='{{.data.token | base64decode}}'"
expect_out 1 "dashboard answers over HTTPS" '^200$' "curl -ks -o /dev/null -w '%{http_code}' https://$NET.2:30443/"

say "classic end state"
run 1 'kubectl get nodes --no-headers'
[ "$(printf '%s\n' "$OUT" | grep -c ' Ready ')" = 3 ] || bad "all 3 nodes should be Ready: $OUT"
run 1 'kubectl get pods -A --no-headers'
printf '%s\n' "$OUT" | grep -v ' Running ' | grep . && bad "pods not Running"
for i in 1 2 3; do
	name=k8s-node$((i - 1))
	[ "$i" = 1 ] && name=k8s-master
	expect_out "$i" "node $i hostname" "^$name\$" 'hostname'
	grep -qP "^\S+\t0\tkubeadm (init|join) " "$KUBEWIZ_LAB/nodes/$i/journal" || bad "journal of node $i lacks a successful kubeadm line"
done

say "faults and reboot"
lab fault 2 'kubeadm version*' fail --once
expect_fail 2 "injected failure" 'injected fault' 'kubeadm version -o short'
expect_out 2 "--once" '^v1.20.9$' 'kubeadm version -o short'
lab fault 2 'systemctl status*' drop
run 2 'systemctl status docker'
[ "$RC" = 255 ] || bad "drop fault should cut the connection (exit $RC)"
lab fault 2 --clear
lab reboot 2 >/dev/null || bad "reboot"
expect_out 2 "after reboot: swap stays off, br_netfilter and ip_forward back" '^ok$' \
	'[ -z "$(swapon --show)" ] && lsmod | grep -qw br_netfilter && [ "$(sysctl -n net.ipv4.ip_forward)" = 1 ] && systemctl is-active --quiet docker && systemctl is-active --quiet kubelet && [ "$(hostname)" = k8s-node1 ] && echo ok'
expect_out 1 "node1 Ready after reboot" 'k8s-node1 +Ready' 'kubectl get nodes'

say "lab down is clean"
lab down >/dev/null || bad "lab down"
lab check-clean >/dev/null || { bad "lab down left something behind"; lab check-clean; }

# ---------------------------------------------------------------------------
echo "== modern: Debian 12, containerd 2.x, Kubernetes 1.36.2, config file, sudo user"
say "lab up 3 --os debian12 --user kw"
lab up 3 --os debian12 --user kw --sudo-password 'pw s3cret' >/dev/null || { bad "lab up modern"; exit 1; }
uopts=(-i "$KUBEWIZ_LAB/id_ed25519" -o UserKnownHostsFile="$KUBEWIZ_LAB/known_hosts" -o StrictHostKeyChecking=yes
	-o BatchMode=yes -o IdentitiesOnly=yes -o LogLevel=ERROR -p 2222)
say "sudo for the non-root user"
out=$(ssh "${uopts[@]}" "kw@$NET.1" 'sudo -n true' 2>&1) && bad "sudo -n should need a password"
printf '%s\n' "$out" | grep -q 'a password is required' || bad "sudo -n message: $out"
out=$(printf 'wrong\n' | ssh "${uopts[@]}" "kw@$NET.1" "sudo -S -p '' id -u" 2>&1) && bad "wrong sudo password accepted"
printf '%s\n' "$out" | grep -q 'Sorry, try again.' || bad "wrong password message: $out"
out=$(printf 'pw s3cret\n' | ssh "${uopts[@]}" "kw@$NET.1" "sudo -S -p '' id -u" 2>&1)
[ "$out" = 0 ] || bad "sudo with the right password: $out"
out=$(ssh "${uopts[@]}" "kw@$NET.1" 'swapoff -a' 2>&1) && bad "swapoff as non-root should fail"

prep_modern='set -e
N=$1; CP=$2; M=v1.36; V=1.36.2
hostnamectl set-hostname "$N"
grep -qw cluster-endpoint /etc/hosts || echo "$CP cluster-endpoint" >>/etc/hosts
swapoff -a; sed -ri "/\sswap\s/s/^#*/#/" /etc/fstab
printf "overlay\nbr_netfilter\n" >/etc/modules-load.d/k8s.conf; modprobe overlay; modprobe br_netfilter
printf "net.ipv4.ip_forward = 1\n" >/etc/sysctl.d/k8s.conf; sysctl --system >/dev/null
apt-get update -q >/dev/null
apt-get install -y -q apt-transport-https ca-certificates curl gpg >/dev/null
install -m 0755 -d /etc/apt/keyrings
curl -fsSL https://mirrors.aliyun.com/docker-ce/linux/debian/gpg | gpg --dearmor --yes -o /etc/apt/keyrings/docker.gpg
echo "deb [signed-by=/etc/apt/keyrings/docker.gpg] https://mirrors.aliyun.com/docker-ce/linux/debian bookworm stable" >/etc/apt/sources.list.d/docker.list
apt-get update -q >/dev/null
apt-get install -y -q containerd.io >/dev/null
containerd config default >/etc/containerd/config.toml
grep -q "^version = 3" /etc/containerd/config.toml
grep -q SystemdCgroup /etc/containerd/config.toml || sed -i "/runtimes.runc.options\]/a\            SystemdCgroup = true" /etc/containerd/config.toml
sed -i "s#sandbox = .*#sandbox = '"'"'registry.aliyuncs.com/google_containers/pause:3.10.1'"'"'#" /etc/containerd/config.toml
systemctl restart containerd; systemctl enable containerd
curl -fsSL https://mirrors.aliyun.com/kubernetes-new/core/stable/$M/deb/Release.key | gpg --dearmor --yes -o /etc/apt/keyrings/kubernetes-apt-keyring.gpg
echo "deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] https://mirrors.aliyun.com/kubernetes-new/core/stable/$M/deb/ /" >/etc/apt/sources.list.d/kubernetes.list
apt-get update -q >/dev/null
apt-get install -y -q kubelet=$V-1.1 kubeadm=$V-1.1 kubectl=$V-1.1 >/dev/null
apt-mark hold kubelet kubeadm kubectl >/dev/null
systemctl enable --now kubelet
crictl config --set runtime-endpoint=unix:///run/containerd/containerd.sock --set image-endpoint=unix:///run/containerd/containerd.sock
[ "$(kubeadm version -o short)" = v$V ]
[ "$(apt-mark showhold | tr "\n" " ")" = "kubeadm kubectl kubelet " ]'

say "apt needs the signing key"
expect_fail 2 "apt source without its key" 'NO_PUBKEY 234654DA9A296436' \
	'echo "deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] https://pkgs.k8s.io/core:/stable:/v1.36/deb/ /" >/etc/apt/sources.list.d/kubernetes.list; apt-get update'
expect_fail 2 "package from a source never updated" 'Unable to locate package kubeadm' \
	'rm -f /etc/apt/sources.list.d/kubernetes.list; apt-get update >/dev/null; apt-get install -y kubeadm'

say "prepare the three nodes (in parallel)"
pids=()
for i in 1 2 3; do
	name=k8s-node$((i - 1))
	[ "$i" = 1 ] && name=k8s-master
	lab ssh "$i" "bash -s $name $NET.1" <<<"$prep_modern" >"$KUBEWIZ_LAB.prep$i" 2>&1 &
	pids+=($!)
done
for i in 1 2 3; do
	wait "${pids[$((i - 1))]}" || { bad "modern preparation of node $i"; tail -15 "$KUBEWIZ_LAB.prep$i" | sed 's/^/    | /'; }
	rm -f "$KUBEWIZ_LAB.prep$i"
done

cfg="apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
bootstrapTokens: [{token: \"abcdef.0123456789abcdef\", ttl: \"24h0m0s\"}]
certificateKey: \"e6a2eb8581237ab72a4f494f30285ec12a9694d750b9785706a83bfcbbbd2204\"
localAPIEndpoint: {advertiseAddress: $NET.1, bindPort: 6443}
nodeRegistration: {criSocket: unix:///var/run/containerd/containerd.sock}
---
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
kubernetesVersion: v1.36.2
controlPlaneEndpoint: \"cluster-endpoint:6443\"
imageRepository: registry.aliyuncs.com/google_containers
networking: {podSubnet: 10.244.0.0/16, serviceSubnet: 10.96.0.0/12}
---
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
cgroupDriver: systemd"
say "config API versions"
expect_fail 1 "v1beta3 on 1.36" 'old API spec: "kubeadm.k8s.io/v1beta3"' \
	"printf '%s\n' '$(printf '%s' "$cfg" | sed 's/v1beta4/v1beta3/')' >/root/init3.yaml; kubeadm init --config /root/init3.yaml"
expect_fail 1 "--config mixed with flags" "can not mix '--config' with arguments" \
	"printf '%s\n' '$cfg' >/root/init.yaml; kubeadm init --config /root/init.yaml --pod-network-cidr=10.244.0.0/16"
expect_fail 1 "images from registry.k8s.io" 'failed to pull image "registry.k8s.io/kube-apiserver:v1.36.2"' \
	'kubeadm config images pull --kubernetes-version v1.36.2'
say "kubeadm init --config --upload-certs"
expect_out 1 "kubeadm init" 'You can now join any number of the control-plane node running the following command on each as root:' \
	'kubeadm init --config /root/init.yaml --upload-certs'
printf '%s\n' "$OUT" | grep -qP '^\t--control-plane --certificate-key e6a2eb8581237ab72a4f494f30285ec12a9694d750b9785706a83bfcbbbd2204$' ||
	bad "init output lacks the certificate-key join line"
expect_fail 1 "kubectl without a kubeconfig" 'localhost:8080' 'rm -f /root/.kube/config; kubectl get nodes'
expect_ok 1 "kubeconfig" 'mkdir -p $HOME/.kube; cp -f /etc/kubernetes/admin.conf $HOME/.kube/config'

say "control-plane join (node 2) and worker join (node 3)"
run 1 'kubeadm token create --ttl 2h --print-join-command'
join=$OUT
run 1 'kubeadm init phase upload-certs --upload-certs --certificate-key $(kubeadm certs certificate-key) | tail -1'
key=$OUT
expect_out 2 "control-plane join" 'a new control plane instance was created' "$join --control-plane --certificate-key $key --apiserver-advertise-address $NET.2"
expect_out 3 "worker join" 'This node has joined the cluster' "$join"

say "Calico (current) and Dashboard v2.7.0"
expect_ok 1 "calico" 'curl -fsSL -o /root/calico.yaml https://raw.githubusercontent.com/projectcalico/calico/v3.31.3/manifests/calico.yaml &&
sed -e "s|# - name: CALICO_IPV4POOL_CIDR|- name: CALICO_IPV4POOL_CIDR|" -e "s|#   value: \"192.168.0.0/16\"|  value: \"10.244.0.0/16\"|" -i /root/calico.yaml &&
kubectl apply -f /root/calico.yaml >/dev/null && kubectl -n kube-system rollout status ds/calico-node --timeout=300s'
expect_ok 1 "dashboard" 'kubectl apply -f https://raw.githubusercontent.com/kubernetes/dashboard/v2.7.0/aio/deploy/recommended.yaml >/dev/null &&
kubectl -n kubernetes-dashboard patch svc kubernetes-dashboard -p "{\"spec\":{\"type\":\"NodePort\"}}" >/dev/null &&
kubectl -n kubernetes-dashboard create serviceaccount admin-user >/dev/null &&
kubectl create clusterrolebinding admin-user --clusterrole=cluster-admin --serviceaccount=kubernetes-dashboard:admin-user >/dev/null &&
kubectl -n kubernetes-dashboard rollout status deploy/kubernetes-dashboard --timeout=300s'
expect_out 1 "create token" '^eyJ' 'kubectl -n kubernetes-dashboard create token admin-user --duration=24h'
expect_out 1 "dashboard answers" '^200$' \
	"curl -ks -o /dev/null -w '%{http_code}' https://$NET.3:\$(kubectl -n kubernetes-dashboard get svc kubernetes-dashboard -o jsonpath='{.spec.ports[0].nodePort}')/"

say "modern end state"
run 1 'kubectl get nodes --no-headers'
[ "$(printf '%s\n' "$OUT" | grep -c ' Ready ')" = 3 ] || bad "all 3 nodes should be Ready: $OUT"
printf '%s\n' "$OUT" | grep -q 'k8s-node1 *Ready *control-plane' || bad "node 2 should be a control plane: $OUT"
expect_out 1 "jsonpath over nodes" "^k8s-master k8s-node1 k8s-node2\$" "kubectl get nodes -o jsonpath='{.items[*].metadata.name}'"
expect_out 1 "node ready condition" '^True True True$' \
	"kubectl get nodes -o jsonpath='{.items[*].status.conditions[?(@.type==\"Ready\")].status}'"
run 1 'kubectl get pods -A --no-headers'
printf '%s\n' "$OUT" | grep -v ' Running ' | grep . && bad "pods not Running"

say "lab down"
lab down >/dev/null || bad "lab down"

# ---------------------------------------------------------------------------
echo "== containerd traps: Rocky 9, containerd.io 2.1, Kubernetes 1.33"
say "lab up 1 --os rocky9 --no-docker-hub"
lab up 1 --os rocky9 --no-docker-hub >/dev/null || { bad "lab up rocky9"; exit 1; }
expect_ok 1 "rocky9 preparation" 'set -e
hostnamectl set-hostname k8s-master
echo "'"$NET"'.1 cluster-endpoint" >>/etc/hosts
swapoff -a; sed -ri "/\sswap\s/s/^#*/#/" /etc/fstab
setenforce 0; systemctl disable --now firewalld 2>/dev/null
modprobe br_netfilter; echo "net.ipv4.ip_forward = 1" >/etc/sysctl.d/k8s.conf; sysctl --system >/dev/null
dnf config-manager --add-repo https://download.docker.com/linux/rhel/docker-ce.repo >/dev/null
dnf install -y -q containerd.io
systemctl enable --now containerd 2>/dev/null
printf "[kubernetes]\nname=Kubernetes\nbaseurl=https://pkgs.k8s.io/core:/stable:/v1.33/rpm/\nenabled=1\ngpgcheck=1\ngpgkey=https://pkgs.k8s.io/core:/stable:/v1.33/rpm/repodata/repomd.xml.key\nexclude=kubelet kubeadm kubectl cri-tools kubernetes-cni\n" >/etc/yum.repos.d/kubernetes.repo
dnf install -y -q kubelet-1.33.7 kubeadm-1.33.7 kubectl-1.33.7 --disableexcludes=kubernetes
systemctl enable --now kubelet 2>/dev/null'
say "containerd.io ships with CRI disabled"
expect_fail 1 "pull with the packaged config.toml" 'unknown service runtime.v1.RuntimeService' \
	'kubeadm config images pull --kubernetes-version v1.33.7 --image-repository registry.aliyuncs.com/google_containers'
say "containerd 2.1 config default has no SystemdCgroup: sed false/true does nothing"
expect_ok 1 "regenerate config.toml" 'containerd config default >/etc/containerd/config.toml &&
sed -i "s/SystemdCgroup = false/SystemdCgroup = true/" /etc/containerd/config.toml &&
sed -i "s#sandbox = .*#sandbox = '"'"'registry.aliyuncs.com/google_containers/pause:3.10'"'"'#" /etc/containerd/config.toml &&
systemctl restart containerd && ! grep -q SystemdCgroup /etc/containerd/config.toml'
init133='printf "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nkubernetesVersion: v1.33.7\ncontrolPlaneEndpoint: cluster-endpoint:6443\nimageRepository: registry.aliyuncs.com/google_containers\nnetworking:\n  podSubnet: 192.168.0.0/16\n---\napiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\ncgroupDriver: systemd\n" >/root/init.yaml; kubeadm init --config /root/init.yaml'
expect_fail 1 "init with a cgroup driver mismatch" 'The kubelet is not healthy|timed out waiting' "$init133"
expect_out 1 "the kubelet says why" 'kubelet cgroup driver: "systemd" is different' 'journalctl -xeu kubelet'
expect_fail 1 "init again without reset" '\[ERROR FileAvailable--etc-kubernetes-manifests-kube-apiserver.yaml\]' "$init133"
expect_out 1 "reset, SystemdCgroup = true, init" 'Your Kubernetes control-plane has initialized successfully!' \
	'kubeadm reset -f >/dev/null && sed -i "/runtimes.runc.options\]/a\            SystemdCgroup = true" /etc/containerd/config.toml && systemctl restart containerd && '"$init133"
say "docker.io only through a registry mirror (--no-docker-hub)"
expect_fail 1 "docker.io without a mirror" 'registry-1.docker.io.*i/o timeout' 'crictl pull docker.io/calico/node:v3.31.3'
expect_out 1 "docker.io through certs.d" 'Image is up to date' 'sed -i "s#config_path = '"''"'#config_path = '"'"'/etc/containerd/certs.d'"'"'#" /etc/containerd/config.toml &&
mkdir -p /etc/containerd/certs.d/docker.io &&
printf "server = \"https://registry-1.docker.io\"\n\n[host.\"https://example.mirror.aliyuncs.com\"]\n  capabilities = [\"pull\", \"resolve\"]\n" >/etc/containerd/certs.d/docker.io/hosts.toml &&
systemctl restart containerd && crictl pull docker.io/calico/node:v3.31.3'
lab down >/dev/null || bad "lab down"

say "the host is untouched"
[ "$(cat /etc/hostname /etc/hosts /etc/fstab 2>/dev/null | sha256sum)" = "$host_sum" ] || bad "host /etc changed"
[ "$(hostname)" = "$host_name" ] || bad "host name changed"
say "lab down is clean"
lab check-clean >/dev/null || { bad "lab down left something behind"; lab check-clean; }
trap - EXIT

if [ "$fails" -ne 0 ]; then
	echo "selftest: $fails failure(s)"
	exit 1
fi
echo "selftest: all $step steps passed"
exit 0
