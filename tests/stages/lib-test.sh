#!/bin/sh
# tests/stages/lib-test.sh: the helpers of src/stages/lib.sh: version
# comparison, TOML edits of containerd configs (v2 and v3, SystemdCgroup
# missing or false), secret masking, exit statuses through the mask, and
# change detection of kw_put_file.
set -eu

top_srcdir=${top_srcdir:-.}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kw-lib.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
failed=0

# Report a failed check and go on.
fail() {
	echo "FAIL: $*"
	failed=$((failed + 1))
}

# lib.sh sets -e; the checks below handle statuses themselves.
# shellcheck source=src/stages/lib.sh
. "$top_srcdir/src/stages/lib.sh"
set +e

# Versions.
kw_version_ge 1.30 1.30 || fail "1.30 >= 1.30"
kw_version_ge 1.31 1.30 || fail "1.31 >= 1.30"
kw_version_ge 1.100 1.35 || fail "1.100 >= 1.35 (numeric, not lexical)"
kw_version_ge 1.9 1.35 && fail "1.9 < 1.35"
kw_version_ge 4.18.0 4.19 && fail "4.18.0 < 4.19"
kw_version_ge 5.14.0 4.19 || fail "5.14.0 >= 4.19"
kw_version_ge 4.18.0-305.el8.x86_64 4.19 && fail "4.18.0-305.el8 < 4.19 (a field counts by its digits)"
kw_version_ge 5.4.0-rc1 5.4 || fail "5.4.0-rc1 >= 5.4"
kw_version_ge 1.30 1.30.1 && fail "1.30 < 1.30.1 (a missing field is 0)"
kw_version_ge 1.08 1.7 || fail "1.08 >= 1.7 (not octal)"
kw_version_ge 1.09 1.10 && fail "1.09 < 1.10 (not octal)"
kw_version_ge 2 1.99.99 || fail "2 >= 1.99.99"

# kw_file_has_line_prefix: a plain prefix of a line, not a pattern.
printf 'x=1\nSELINUX=enforcing\n# SELINUX=disabled\nlast' >"$tmp/sel"
kw_file_has_line_prefix "$tmp/sel" SELINUX=enf || fail "line prefix not found"
kw_file_has_line_prefix "$tmp/sel" SELINUX=disabled && fail "a commented line matched"
kw_file_has_line_prefix "$tmp/sel" 'x=*' && fail "the prefix was taken as a pattern"
kw_file_has_line_prefix "$tmp/sel" last || fail "a last line without newline was missed"

# What the shell reads itself agrees with the tools it replaces.
[ "$(kw_hostname)" = "$(hostname)" ] || fail "kw_hostname: $(kw_hostname), hostname: $(hostname)"
[ "$(kw_mem_mb)" = "$(awk '/^MemTotal:/ { print int($2 / 1024) }' /proc/meminfo)" ] ||
	fail "kw_mem_mb: $(kw_mem_mb)"
if command -v sysctl >/dev/null; then
	[ "$(kw_sysctl net.ipv4.ip_forward)" = "$(sysctl -n net.ipv4.ip_forward)" ] ||
		fail "kw_sysctl net.ipv4.ip_forward: $(kw_sysctl net.ipv4.ip_forward)"
	[ "$(kw_sysctl kernel.hostname)" = "$(hostname)" ] || fail "kw_sysctl kernel.hostname"
fi
[ -z "$(kw_sysctl net.no.such.key)" ] || fail "kw_sysctl: a missing key is not empty"
if [ -r /proc/modules ] && read -r first _ </proc/modules; then
	kw_module_loaded "$first" || fail "kw_module_loaded: $first (in /proc/modules) not loaded"
fi
kw_module_loaded no_such_module_kw && fail "kw_module_loaded: a missing module is loaded"
if [ "$(wc -l </proc/swaps)" -gt 1 ]; then
	kw_swap_on || fail "kw_swap_on: /proc/swaps lists swap"
else
	kw_swap_on && fail "kw_swap_on: /proc/swaps lists none"
fi

# OS detection from os-release files as the supported systems ship them.
os_check() { # FILE-CONTENT ID VERSION FAMILY CODENAME
	printf '%s' "$1" >"$tmp/os-release"
	kw_os_detect "$tmp/os-release"
	got="$KW_OS_ID $KW_OS_VERSION $KW_OS_FAMILY $KW_OS_CODENAME"
	[ "$got" = "$2 $3 $4 $5" ] || fail "os-release of $2: got '$got', want '$2 $3 $4 $5'"
}
os_check 'NAME="CentOS Linux"
VERSION="7 (Core)"
ID="centos"
ID_LIKE="rhel fedora"
VERSION_ID="7"
PRETTY_NAME="CentOS Linux 7 (Core)"
' centos 7 rpm ''
os_check "NAME=\"Rocky Linux\"
ID=\"rocky\"
ID_LIKE=\"rhel centos fedora\"
VERSION_ID=\"9.4\"
HOME_URL=\"https://rockylinux.org/\"
" rocky 9.4 rpm ''
os_check 'PRETTY_NAME="Ubuntu 22.04.4 LTS"
NAME="Ubuntu"
VERSION_ID="22.04"
VERSION_CODENAME=jammy
ID=ubuntu
ID_LIKE=debian
UBUNTU_CODENAME=jammy
' ubuntu 22.04 deb jammy
# No trailing newline; the codename only as UBUNTU_CODENAME; a value with '='.
os_check 'ID=ubuntu
BUG_REPORT_URL="https://bugs.example/?a=b"
VERSION_ID="24.04"
UBUNTU_CODENAME=noble' ubuntu 24.04 deb noble
os_check "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"
VERSION_ID='12'
VERSION_CODENAME=bookworm
ID=debian
" debian 12 deb bookworm
printf 'ID=gentoo\n' >"$tmp/os-release"
out=$( (kw_os_detect "$tmp/os-release") 2>&1) && fail "gentoo was accepted"
case $out in *unsupported*gentoo*) ;; *) fail "gentoo refused without naming it: $out" ;; esac
kw_os_detect /etc/os-release

# containerd 1.x (config version 2): SystemdCgroup false becomes true, once.
cat >"$tmp/v2.toml" <<'TOML'
version = 2
disabled_plugins = []

[plugins]
  [plugins."io.containerd.grpc.v1.cri"]
    sandbox_image = "registry.k8s.io/pause:3.8"
    [plugins."io.containerd.grpc.v1.cri".containerd]
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        BinaryName = ""
        SystemdCgroup = false
    [plugins."io.containerd.grpc.v1.cri".registry]
      config_path = ""
TOML
runc='[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]'
kw_toml_set "$tmp/v2.toml" "$runc" SystemdCgroup true
kw_toml_set "$tmp/v2.toml" '[plugins."io.containerd.grpc.v1.cri"]' sandbox_image '"m.example/pause:3.9"'
[ "$(kw_toml_get "$tmp/v2.toml" "$runc" SystemdCgroup)" = true ] || fail "v2: SystemdCgroup not true"
[ "$(grep -c SystemdCgroup "$tmp/v2.toml")" -eq 1 ] || fail "v2: SystemdCgroup appears more than once"
[ "$(kw_toml_get "$tmp/v2.toml" '[plugins."io.containerd.grpc.v1.cri"]' sandbox_image)" = '"m.example/pause:3.9"' ] ||
	fail "v2: sandbox_image not set"
grep -q 'registry.k8s.io/pause' "$tmp/v2.toml" && fail "v2: the old sandbox image remains"
# The key of a nested section is not the parent's.
[ -z "$(kw_toml_get "$tmp/v2.toml" '[plugins."io.containerd.grpc.v1.cri"]' config_path)" ] ||
	fail "v2: config_path read from a nested section"

# containerd 2.0 (config version 3) omits SystemdCgroup: it is inserted.
cat >"$tmp/v3.toml" <<'TOML'
version = 3

[plugins]
  [plugins.'io.containerd.cri.v1.images'.pinned_images]
    sandbox = 'registry.k8s.io/pause:3.10'

  [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]
    BinaryName = ''
TOML
runc3="[plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]"
kw_toml_set "$tmp/v3.toml" "$runc3" SystemdCgroup true
kw_toml_set "$tmp/v3.toml" "$runc3" SystemdCgroup true
[ "$(kw_toml_get "$tmp/v3.toml" "$runc3" SystemdCgroup)" = true ] || fail "v3: SystemdCgroup not inserted"
[ "$(grep -c SystemdCgroup "$tmp/v3.toml")" -eq 1 ] || fail "v3: SystemdCgroup inserted twice"
kw_toml_set "$tmp/v3.toml" "[plugins.'io.containerd.cri.v1.images'.registry]" config_path "'/etc/containerd/certs.d'"
[ "$(kw_toml_get "$tmp/v3.toml" "[plugins.'io.containerd.cri.v1.images'.registry]" config_path)" = "'/etc/containerd/certs.d'" ] ||
	fail "v3: a missing section was not appended"

# Secrets are masked; the masked command's status is kept.
key=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
out=$(kw_run_masked sh -c "echo 'kubeadm join ep:6443 --token abcdef.0123456789abcdef \\'; \
	echo '	--control-plane --certificate-key $key'; echo '[upload-certs] Using certificate key:'; \
	echo $key; echo 'sha256:$key'; exit 7")
rc=$?
[ "$rc" -eq 7 ] || fail "kw_run_masked returned $rc, not 7"
case $out in
*abcdef.0123456789abcdef* | *"key $key"* | *"
$key"*) fail "a secret went through the mask: $out" ;;
esac
printf '%s\n' "$out" | grep -q "^sha256:$key\$" || fail "the CA hash (not a secret) was masked"
printf '%s\n' "$out" | grep -q -- '--token <token>' || fail "no token placeholder"

# kw_put_file: 0 when it changed the file, 1 when the content was there.
echo a | kw_put_file "$tmp/f" 600 || fail "put_file: new file not reported as changed"
[ "$(stat -c %a "$tmp/f")" = 600 ] || fail "put_file: mode not applied"
echo a | kw_put_file "$tmp/f" 600 && fail "put_file: same content reported as changed"
echo b | kw_put_file "$tmp/f" 644 || fail "put_file: changed content not reported"
[ "$(cat "$tmp/f")" = b ] || fail "put_file: content not written"
# Modes with and without execute bits, on new files (the umask or chmod)
# and on an existing one (chmod after an in-place rewrite).
{ echo x | kw_put_file "$tmp/m1" 644 && [ "$(stat -c %a "$tmp/m1")" = 644 ]; } || fail "put_file: 644 not applied"
{ echo x | kw_put_file "$tmp/m2" 755 && [ "$(stat -c %a "$tmp/m2")" = 755 ]; } || fail "put_file: 755 not applied"
{ echo x | kw_put_file "$tmp/m4" 744 && [ "$(stat -c %a "$tmp/m4")" = 744 ]; } || fail "put_file: 744 (execute for the owner only) not applied"
{ echo x | kw_put_file "$tmp/m3" 0640 && [ "$(stat -c %a "$tmp/m3")" = 640 ]; } || fail "put_file: 0640 not applied"
{ echo y | kw_put_file "$tmp/m1" 600 && [ "$(stat -c %a "$tmp/m1")" = 600 ]; } || fail "put_file: mode of a rewritten file not applied"
[ "$(umask)" = 0022 ] || fail "put_file: the script's umask changed ($(umask))"
# Empty input means a failed producer: refused, the file is untouched.
( : | kw_put_file "$tmp/f" 644 ) 2>/dev/null && fail "put_file: empty input accepted"
[ "$(cat "$tmp/f")" = b ] || fail "put_file: empty input clobbered the file"
: | kw_put_file "$tmp/e" 644 empty-ok || fail "put_file: empty-ok refused"
{ [ -f "$tmp/e" ] && [ ! -s "$tmp/e" ]; } || fail "put_file: empty-ok file not created"

# Calico: the commented pool CIDR is uncommented and set, once.
cat >"$tmp/calico.yaml" <<'YAML'
            - name: CALICO_IPV4POOL_IPIP
              value: "Always"
            # no effect. This should fall within `--cluster-cidr`.
            # - name: CALICO_IPV4POOL_CIDR
            #   value: "192.168.0.0/16"
            - name: CALICO_DISABLE_FILE_LOGGING
              value: "true"
YAML
kw_calico_set_cidr "$tmp/calico.yaml" "$tmp/calico2.yaml" 10.244.0.0/16 ||
	fail "calico: the CIDR was not set"
grep -A1 -- '^            - name: CALICO_IPV4POOL_CIDR$' "$tmp/calico2.yaml" |
    grep -qx '              value: "10.244.0.0/16"' || fail "calico: wrong CIDR lines: $(cat "$tmp/calico2.yaml")"
grep -q '192.168.0.0/16' "$tmp/calico2.yaml" && fail "calico: the default CIDR remains"
grep -qx '              value: "Always"' "$tmp/calico2.yaml" || fail "calico: another variable was changed"
# Already uncommented (a re-run on an edited manifest) works too.
kw_calico_set_cidr "$tmp/calico2.yaml" "$tmp/calico3.yaml" 10.1.0.0/16 ||
	fail "calico: an uncommented CIDR was not set"
grep -qx '              value: "10.1.0.0/16"' "$tmp/calico3.yaml" || fail "calico: re-set failed"
# A manifest without the variable is refused.
grep -v CALICO_IPV4POOL_CIDR "$tmp/calico.yaml" >"$tmp/calico4.yaml"
kw_calico_set_cidr "$tmp/calico4.yaml" "$tmp/calico5.yaml" 10.1.0.0/16 &&
	fail "calico: a manifest without CALICO_IPV4POOL_CIDR was accepted"

[ "$failed" -eq 0 ] && echo "lib.sh: all checks passed"
[ "$failed" -eq 0 ]
