#!/bin/sh
# hostkey.sh: host keys against known_hosts: unknown keys are asked about
# (SHA256 fingerprint as ssh prints it), accepted ones are remembered,
# refused ones stop; a changed key or a key of another type refuses the
# node naming the known_hosts file and line, and runs nothing.
. "${top_srcdir:-.}/tests/ssh/sshd-fixture.sh"
fx_init hostkey
fx_start
out=$FX/out
marker=$FX/marker
unset SSH_AUTH_SOCK KW_TEST_ACCEPT_HOSTKEY
fp=$(ssh-keygen -l -E sha256 -f "$FX/host_ed25519.pub" | cut -d' ' -f2)
case $fp in SHA256:*) ;; *) fail "no fingerprint from ssh-keygen: $fp" ;; esac
entry=$(cat "$FX_KH")

note "unknown key refused"
kh=$FX/kh-new
: >"$kh"
rc=0
KW_TEST_ACCEPT_HOSTKEY=no "$DRIVER" -p "$FX_PORT" -k "$kh" -F none -l root \
    -i "$FX_KEY" "$FX_ADDR" run "touch $marker" >"$out" || rc=$?
assert_eq "$rc" 12 "refused unknown key"
assert_grep "hostkey: node=node1 host=[$FX_ADDR]:$FX_PORT type=ssh-ed25519 fp=$fp file=$kh" "$out"
assert_grep "is not known (ssh-ed25519 $fp) and was not accepted" "$out"
[ ! -e "$marker" ] || fail "a command ran on a refused node"
[ ! -s "$kh" ] || fail "a refused key was written to known_hosts"

note "unknown key accepted, then known"
KW_TEST_ACCEPT_HOSTKEY=yes "$DRIVER" -p "$FX_PORT" -k "$kh" -F none -l root \
    -i "$FX_KEY" "$FX_ADDR" run true >"$out" || fail "accept: $(cat "$out")"
assert_grep "hostkey: node=node1" "$out"
assert_grep "[$FX_ADDR]:$FX_PORT ssh-ed25519 " "$kh"
KW_TEST_ACCEPT_HOSTKEY=no "$DRIVER" -p "$FX_PORT" -k "$kh" -F none -l root \
    -i "$FX_KEY" "$FX_ADDR" run true >"$out" || fail "known: $(cat "$out")"
assert_no_grep "hostkey:" "$out"

note "accept-new-host-keys, known_hosts in a missing directory"
kh=$FX/newdir/known_hosts
"$DRIVER" -A -p "$FX_PORT" -k "$kh" -F none -l root -i "$FX_KEY" "$FX_ADDR" \
    run true >"$out" || fail "accept-new: $(cat "$out")"
assert_no_grep "hostkey:" "$out"
assert_grep "[$FX_ADDR]:$FX_PORT ssh-ed25519 " "$kh"
assert_eq "$(stat -c %a "$FX/newdir")" 700 "mode of the created directory"

note "changed key refused, nothing run"
ssh-keygen -q -t ed25519 -N '' -f "$FX/other_ed25519" || fail keygen
kh=$FX/kh-changed
{
	echo "# a comment"
	echo "otherhost ssh-ed25519 $(cut -d' ' -f2 "$FX/other_ed25519.pub")"
	echo "[$FX_ADDR]:$FX_PORT ssh-ed25519 $(cut -d' ' -f2 "$FX/other_ed25519.pub")"
} >"$kh"
logins=$(grep -c 'Accepted publickey' "$FX/sshd.log")
rc=0
KW_TEST_ACCEPT_HOSTKEY=yes drv -k "$kh" -l root -i "$FX_KEY" "$FX_ADDR" \
    run "touch $marker" >"$out" || rc=$?
assert_eq "$rc" 12 "changed key"
assert_grep "has CHANGED" "$out"
assert_grep "but $kh:3 holds a different one" "$out"
assert_grep "Nothing was run on node1" "$out"
assert_no_grep "hostkey:" "$out"	# never offered for acceptance
[ ! -e "$marker" ] || fail "a command ran despite a changed host key"
assert_eq "$(grep -c 'Accepted publickey' "$FX/sshd.log")" "$logins" \
    "logins after a changed key (none: it never authenticates)"

note "changed key in a hashed known_hosts"
ssh-keygen -q -H -f "$kh" >/dev/null 2>&1 || fail "ssh-keygen -H"
assert_no_grep "$FX_ADDR" "$kh"
rc=0
drv -k "$kh" -l root -i "$FX_KEY" "$FX_ADDR" run "touch $marker" >"$out" || rc=$?
assert_eq "$rc" 12 "changed key, hashed"
assert_grep "but $kh:3 holds a different one" "$out"
[ ! -e "$marker" ] || fail "a command ran despite a changed host key"

note "key of another type refused"
ssh-keygen -q -t ecdsa -N '' -f "$FX/other_ecdsa" || fail keygen
kh=$FX/kh-other
{
	echo "[$FX_ADDR]:$FX_PORT $(cut -d' ' -f1-2 "$FX/other_ecdsa.pub")"
} >"$kh"
rc=0
drv -k "$kh" -l root -i "$FX_KEY" "$FX_ADDR" run "touch $marker" >"$out" || rc=$?
assert_eq "$rc" 12 "other key type"
assert_grep "holds a key of another type" "$out"
assert_grep "$kh:1" "$out"
[ ! -e "$marker" ] || fail "a command ran despite another key type"

note "known key"
echo "$entry" >"$FX_KH"
drv -l root -i "$FX_KEY" "$FX_ADDR" run true >"$out" || fail "known: $(cat "$out")"
echo "PASS"
