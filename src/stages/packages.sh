# shellcheck shell=sh disable=SC2154 # KW_* come from the preamble
# packages.sh: kubelet, kubeadm and kubectl at exactly KW_K8S_VERSION, held
# at that version, and the kubelet enabled (it crash-loops until init or
# join: that is expected).
#   classic: the frozen yum tree <mirror>/kubernetes/yum/repos/kubernetes-el7-x86_64
#            (yum.kubernetes.io is gone since March 2024, so a mirror is needed);
#   modern:  pkgs.k8s.io, one repository per minor, or its mirror
#            <mirror>/kubernetes-new/core/stable/vX.Y/{rpm,deb}/.

V=$KW_K8S_VERSION

# Whether something is not yet as wanted (returns 1 when the three tools
# are at the wanted version, and held on DEB). With "die", the stage stops
# saying what.
packages_wrong() {
	for t in kubeadm kubelet kubectl; do
		if ! kw_have "$t"; then
			[ "${1:-}" != die ] ||
				kw_die "after the install of {1}: {2} is not installed" "$V" "$t"
			return 0
		fi
	done
	have=$(kubeadm version -o short 2>&1 || true)
	if [ "$have" != "v$V" ]; then
		[ "${1:-}" != die ] ||
			kw_die "after the install of {1}: kubeadm version -o short says '{2}'" "$V" "$have"
		return 0
	fi
	have=$(kubelet --version 2>&1 || true)
	if [ "$have" != "Kubernetes v$V" ]; then
		[ "${1:-}" != die ] ||
			kw_die "after the install of {1}: kubelet --version says '{2}'" "$V" "$have"
		return 0
	fi
	have=$(kubectl version --client 2>&1 || true)
	case $have in
	*"v$V"*) ;;
	*)
		[ "${1:-}" != die ] ||
			kw_die "after the install of {1}: kubectl version --client says '{2}'" "$V" "$have"
		return 0 ;;
	esac
	if [ "$KW_OS_FAMILY" = deb ]; then
		held=$(apt-mark showhold 2>/dev/null || true)
		for p in kubelet kubeadm kubectl; do
			if ! printf '%s\n' "$held" | grep -qx "$p"; then
				[ "${1:-}" != die ] ||
					kw_die "after the install of {1}: {2} is not held (apt-mark hold)" "$V" "$p"
				return 0
			fi
		done
	fi
	return 1
}

# The repository base for this profile and package family.
if [ "$KW_PROFILE" = classic ]; then
	[ -n "$KW_PKG_MIRROR" ] ||
		kw_die "the classic profile needs registry.packageMirror (yum.kubernetes.io is gone); e.g. https://mirrors.aliyun.com"
	repo_url="$KW_PKG_MIRROR/kubernetes/yum/repos/kubernetes-el7-x86_64"
elif [ -n "$KW_PKG_MIRROR" ]; then
	repo_url="$KW_PKG_MIRROR/kubernetes-new/core/stable/v$KW_K8S_MINOR/$KW_OS_FAMILY/"
else
	repo_url="https://pkgs.k8s.io/core:/stable:/v$KW_K8S_MINOR/$KW_OS_FAMILY/"
fi

kw_step "checking kubelet, kubeadm and kubectl"
if ! packages_wrong && systemctl is-enabled --quiet kubelet 2>/dev/null; then
	kw_skipf "kubelet, kubeadm and kubectl v{1} are installed and the kubelet is enabled" "$V"
	exit 0
fi

if [ "$KW_OS_FAMILY" = rpm ]; then
	kw_step "Kubernetes yum repository"
	if [ "$KW_PROFILE" = classic ]; then
		printf '%s\n' '[kubernetes]' 'name=Kubernetes' "baseurl=$repo_url" \
		    'enabled=1' 'gpgcheck=0' 'repo_gpgcheck=0' \
		    'exclude=kubelet kubeadm kubectl'
	else
		printf '%s\n' '[kubernetes]' 'name=Kubernetes' "baseurl=$repo_url" \
		    'enabled=1' 'gpgcheck=1' "gpgkey=${repo_url}repodata/repomd.xml.key" \
		    'exclude=kubelet kubeadm kubectl cri-tools kubernetes-cni'
	fi | kw_put_file /etc/yum.repos.d/kubernetes.repo 644 || true

	if [ "$KW_PKG" = dnf ] && dnf --version 2>/dev/null | grep -qi dnf5; then
		nox=--setopt=disable_excludes=kubernetes
	else
		nox=--disableexcludes=kubernetes
	fi
	# A frozen mirror tree may lack the version: say so plainly.
	if avail=$($KW_PKG list --showduplicates kubeadm "$nox" 2>/dev/null); then
		# One awk: is "[EPOCH:]V-RELEASE" among kubeadm's versions?
		printf '%s\n' "$avail" | awk -v v="$V" '$1 ~ /^kubeadm/ {
			s = $2; sub(/^[0-9]+:/, "", s)
			if (index(s, v "-") == 1) found = 1
		} END { exit !found }' ||
			kw_die "kubeadm {1} is not in {2} (available: {3}...)" "$V" "$repo_url" "$(printf '%s\n' "$avail" | awk '$1 ~ /^kubeadm/ { print $2 }' | tail -n 3 | tr '\n' ' ')"
	fi

	kw_stepf "installing kubelet-{1} kubeadm-{1} kubectl-{1}" "$V"
	$KW_PKG install -y "kubelet-$V" "kubeadm-$V" "kubectl-$V" "$nox"
else
	kw_step "Kubernetes apt repository"
	keyring=/etc/apt/keyrings/kubernetes-apt-keyring.gpg
	if [ ! -f "$keyring" ] || [ ! -f /etc/apt/sources.list.d/kubernetes.list ] ||
	    ! grep -qF "$repo_url" /etc/apt/sources.list.d/kubernetes.list; then
		apt-get update -q
		kw_pkg_install apt-transport-https ca-certificates curl gpg
		mkdir -p /etc/apt/keyrings
		chmod 755 /etc/apt/keyrings
		kw_fetch "${repo_url}Release.key" /etc/apt/keyrings/kubernetes-release.key
		gpg --dearmor --yes -o "$keyring" /etc/apt/keyrings/kubernetes-release.key
		rm -f /etc/apt/keyrings/kubernetes-release.key
		printf 'deb [signed-by=%s] %s /\n' "$keyring" "$repo_url" \
		    >/etc/apt/sources.list.d/kubernetes.list
	fi
	apt-get update -q

	kw_stepf "installing kubelet, kubeadm and kubectl {1}" "$V"
	# The package revision (usually -1.1): ask apt, fall back to -1.1.
	pv=$(apt-cache madison kubeadm 2>/dev/null |
	    awk -v v="$V" '{ split($0, f, "|"); gsub(/ /, "", f[2]) }
	        index(f[2], v "-") == 1 { print f[2]; exit }')
	[ -n "$pv" ] || pv="$V-1.1"
	apt-mark unhold kubelet kubeadm kubectl >/dev/null 2>&1 || true
	apt-get install -y -q --allow-downgrades \
	    "kubelet=$pv" "kubeadm=$pv" "kubectl=$pv"
	apt-mark hold kubelet kubeadm kubectl
fi

kw_step "enabling the kubelet"
systemctl enable --now kubelet

packages_wrong die || :
kw_logf "kubelet, kubeadm and kubectl v{1} installed" "$V"
