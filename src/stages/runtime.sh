# shellcheck shell=sh disable=SC2154 # KW_* come from the preamble
# runtime.sh: the container runtime with the systemd cgroup driver.
#   classic: Docker CE (pinned, from the docker-ce repository of the package
#            mirror), /etc/docker/daemon.json with registry mirrors.
#   modern:  containerd (RPM: containerd.io from the docker-ce rhel
#            repository; DEB: the distribution's containerd, or containerd.io
#            from Docker's apt repository for Kubernetes >= 1.36, which needs
#            containerd 2), a regenerated config.toml with SystemdCgroup, the
#            pause image of this Kubernetes version from the mirror registry,
#            and docker.io mirrors in certs.d.

changed=0

# The docker-ce repository base: the package mirror's copy or upstream.
if [ -n "$KW_PKG_MIRROR" ]; then
	docker_base="$KW_PKG_MIRROR/docker-ce"
else
	docker_base="https://download.docker.com"
fi

# Add the docker-ce yum repository (distro path centos or rhel).
add_docker_yum_repo() {
	if [ -f /etc/yum.repos.d/docker-ce.repo ]; then
		kw_logf "docker-ce repository already configured"
	else
		kw_have yum-config-manager || kw_pkg_install yum-utils
		yum-config-manager --add-repo "$docker_base/linux/$1/docker-ce.repo"
		changed=1
	fi
	# The repo file names download.docker.com; use the mirror throughout.
	if [ -n "$KW_PKG_MIRROR" ] &&
	    grep -q 'https://download.docker.com' /etc/yum.repos.d/docker-ce.repo; then
		sed -i "s#https://download.docker.com#$docker_base#g" /etc/yum.repos.d/docker-ce.repo
		changed=1
	fi
}

# Add Docker's apt repository (for containerd.io on Debian and Ubuntu).
add_docker_apt_repo() {
	list=/etc/apt/sources.list.d/docker.list
	if [ -f "$list" ] && [ -f /etc/apt/keyrings/docker.gpg ]; then
		kw_logf "Docker apt repository already configured"
		return 0
	fi
	apt-get update -q
	kw_pkg_install ca-certificates curl gpg
	mkdir -p /etc/apt/keyrings
	chmod 755 /etc/apt/keyrings
	kw_fetch "$docker_base/linux/$KW_OS_ID/gpg" /etc/apt/keyrings/docker.asc
	gpg --dearmor --yes -o /etc/apt/keyrings/docker.gpg /etc/apt/keyrings/docker.asc
	rm -f /etc/apt/keyrings/docker.asc
	printf 'deb [signed-by=/etc/apt/keyrings/docker.gpg] %s/linux/%s %s stable\n' \
	    "$docker_base" "$KW_OS_ID" "$KW_OS_CODENAME" >"$list"
	apt-get update -q
	changed=1
}

# Write /etc/docker/daemon.json (classic guide's settings plus mirrors).
docker_daemon_json() {
	mirrors=""
	for m in $KW_MIRRORS; do
		mirrors="$mirrors${mirrors:+, }\"$m\""
	done
	cat <<JSON
{
  "registry-mirrors": [$mirrors],
  "exec-opts": ["native.cgroupdriver=systemd"],
  "log-driver": "json-file",
  "log-opts": {
    "max-size": "100m"
  },
  "storage-driver": "overlay2"
}
JSON
}

# Classic: Docker CE, pinned.
runtime_docker() {
	kw_step "Docker CE repository"
	add_docker_yum_repo centos

	kw_stepf "Docker CE {1}" "$KW_DOCKER_VERSION"
	have=$(rpm -q --qf '%{VERSION}' docker-ce 2>/dev/null || true)
	if [ "$have" = "$KW_DOCKER_VERSION" ]; then
		kw_logf "docker-ce {1} is installed" "$have"
	else
		[ -z "$have" ] || [ "$have" = "package docker-ce is not installed" ] ||
			kw_warnf "{1}: replacing docker-ce {2} with {3}" "$KW_NODE_NAME" "$have" "$KW_DOCKER_VERSION"
		yum install -y "docker-ce-$KW_DOCKER_VERSION" \
		    "docker-ce-cli-$KW_DOCKER_VERSION" \
		    "containerd.io-$KW_CONTAINERD_IO_VERSION"
		changed=1
	fi

	kw_step "/etc/docker/daemon.json"
	mkdir -p /etc/docker
	restart=0
	if docker_daemon_json | kw_put_file /etc/docker/daemon.json 644; then
		restart=1
		changed=1
	fi

	kw_step "docker service"
	if ! systemctl is-enabled --quiet docker 2>/dev/null ||
	    ! systemctl is-active --quiet docker 2>/dev/null; then
		systemctl daemon-reload
		systemctl enable --now docker
		changed=1
	elif [ "$restart" -eq 1 ]; then
		systemctl daemon-reload
		systemctl restart docker
	fi
	driver=$(docker info -f '{{.CgroupDriver}}')
	[ "$driver" = systemd ] ||
		kw_die "Docker uses the '{1}' cgroup driver, not systemd; check /etc/docker/daemon.json" "$driver"
}

# Modern: install containerd for this OS family.
containerd_install() {
	if kw_have containerd; then
		kw_logf "containerd is installed: {1}" "$(containerd --version 2>/dev/null || true)"
		return 0
	fi
	if [ "$KW_OS_FAMILY" = rpm ]; then
		add_docker_yum_repo rhel
		kw_pkg_install containerd.io
	elif kw_k8s_ge 1.36; then
		# Kubernetes >= 1.36 needs containerd >= 2.0.
		add_docker_apt_repo
		kw_pkg_install containerd.io
	else
		apt-get update -q
		kw_pkg_install containerd
	fi
	changed=1
}

# Print the containerd config kubewiz wants: the default, edited.
containerd_config() {
	tmp=/etc/containerd/config.toml.kubewiz-new
	containerd config default >"$tmp" ||
		kw_die "'containerd config default' failed"
	if grep -Eq '^version[[:space:]]*=[[:space:]]*3' "$tmp"; then
		# containerd 2.x: config version 3.
		kw_toml_set "$tmp" "[plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]" SystemdCgroup true
		kw_toml_set "$tmp" "[plugins.'io.containerd.cri.v1.images'.pinned_images]" sandbox "'$KW_PAUSE_IMAGE'"
		kw_toml_set "$tmp" "[plugins.'io.containerd.cri.v1.images'.registry]" config_path "'/etc/containerd/certs.d'"
		runc="[plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]"
	else
		# containerd 1.x: config version 2.
		kw_toml_set "$tmp" '[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]' SystemdCgroup true
		kw_toml_set "$tmp" '[plugins."io.containerd.grpc.v1.cri"]' sandbox_image "\"$KW_PAUSE_IMAGE\""
		kw_toml_set "$tmp" '[plugins."io.containerd.grpc.v1.cri".registry]' config_path '"/etc/containerd/certs.d"'
		runc='[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]'
	fi
	[ "$(kw_toml_get "$tmp" "$runc" SystemdCgroup)" = true ] ||
		kw_die "could not set SystemdCgroup = true in the containerd config"
	# The packaged config disables CRI; the regenerated one must not.
	if grep -E '^[[:space:]]*disabled_plugins' "$tmp" | grep -q "cri"; then
		kw_die "containerd's default config disables the CRI plugin; cannot continue"
	fi
	cat "$tmp"
	rm -f "$tmp"
}

# docker.io pull mirrors for containerd (certs.d/docker.io/hosts.toml).
containerd_hosts_toml() {
	echo 'server = "https://registry-1.docker.io"'
	for m in $KW_MIRRORS; do
		printf '\n[host."%s"]\n  capabilities = ["pull", "resolve"]\n' "$m"
	done
}

# Modern: containerd configured for kubeadm.
runtime_containerd() {
	kw_step "containerd"
	containerd_install

	kw_step "containerd configuration"
	mkdir -p /etc/containerd
	restart=0
	config=$(containerd_config)
	if printf '%s\n' "$config" | kw_put_file /etc/containerd/config.toml 644; then
		kw_logf "wrote /etc/containerd/config.toml (SystemdCgroup, sandbox {1})" "$KW_PAUSE_IMAGE"
		restart=1
	fi
	mkdir -p /etc/containerd/certs.d/docker.io
	if containerd_hosts_toml | kw_put_file /etc/containerd/certs.d/docker.io/hosts.toml 644; then
		restart=1
	fi
	# crictl comes later with cri-tools; its config can be written now.
	printf 'runtime-endpoint: unix:///run/containerd/containerd.sock\nimage-endpoint: unix:///run/containerd/containerd.sock\ntimeout: 10\n' |
	    kw_put_file /etc/crictl.yaml 644 || true

	kw_step "containerd service"
	if ! systemctl is-enabled --quiet containerd 2>/dev/null; then
		systemctl enable containerd
		changed=1
	fi
	if [ "$restart" -eq 1 ] || ! systemctl is-active --quiet containerd 2>/dev/null; then
		systemctl restart containerd
		changed=1
	fi
	kw_wait 30 "containerd to start" systemctl is-active --quiet containerd ||
		kw_die "containerd does not start; see 'journalctl -u containerd'"
	[ "$restart" -eq 0 ] || changed=1
}

if [ "$KW_RUNTIME" = docker ]; then
	runtime_docker
else
	runtime_containerd
fi

if [ "$changed" -eq 0 ]; then
	kw_skipf "{1} is installed and configured" "$KW_RUNTIME"
fi
