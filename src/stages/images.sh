# shellcheck shell=sh disable=SC2154 # KW_* come from the preamble
# images.sh: pre-pull the control-plane images of KW_K8S_VERSION from the
# mirror registry (every node, as in the classic guide), so that init and
# join do not wait on downloads. The version is always passed: without it
# kubeadm asks dl.k8s.io, which times out behind the Great Firewall.

if [ "$KW_RUNTIME" = containerd ]; then
	cri="--cri-socket=unix:///var/run/containerd/containerd.sock"
else
	cri=""
fi

# How many of the images $images are already in the runtime's store:
# docker answers for all of them in one call (a line per image it has),
# crictl stops at the first it lacks, so it is asked for each.
count_present() {
	_n=0
	if [ "$KW_RUNTIME" = docker ]; then
		# shellcheck disable=SC2046,SC2086 # one word per image
		set -- $(docker image inspect -f x $images 2>/dev/null)
		_n=$#
	else
		for _img in $images; do
			! crictl inspecti "$_img" >/dev/null 2>&1 || _n=$((_n + 1))
		done
	fi
	echo "$_n"
}

kw_stepf "listing the images of Kubernetes v{1}" "$KW_K8S_VERSION"
images=$(kubeadm config images list --kubernetes-version "v$KW_K8S_VERSION" \
    --image-repository "$KW_IMAGE_REPO")
[ -n "$images" ] || kw_die "'kubeadm config images list' printed no images"
printf '%s\n' "$images"
if [ "$KW_RUNTIME" = containerd ] &&
    ! printf '%s\n' "$images" | grep -qxF "$KW_PAUSE_IMAGE"; then
	kw_warnf "{1}: containerd's sandbox image {2} differs from kubeadm's ({3})" "$KW_NODE_NAME" "$KW_PAUSE_IMAGE" "$(printf '%s\n' "$images" | grep /pause: || true)"
fi

# shellcheck disable=SC2086 # one word per image
set -- $images
missing=$(($# - $(count_present)))
if [ "$missing" -eq 0 ]; then
	kw_skip "all images are present"
	exit 0
fi

kw_stepf "pulling {1} image(s) from {2}" "$missing" "$KW_IMAGE_REPO"
# shellcheck disable=SC2086 # $cri is empty or one word
kw_retry 3 10 kubeadm config images pull --kubernetes-version "v$KW_K8S_VERSION" \
    --image-repository "$KW_IMAGE_REPO" $cri ||
	kw_die "cannot pull the images from {1} (see the [ERROR ImagePull] lines above)" "$KW_IMAGE_REPO"
