#!/bin/sh
# auth.sh: the transport authenticates like ssh: key file, agent, password,
# keyboard-interactive, an encrypted key's passphrase, ~/.ssh/config
# aliases and ProxyJump; failures name the methods offered and tried.
. "${top_srcdir:-.}/tests/ssh/sshd-fixture.sh"
fx_init auth
fx_start
out=$FX/out
unset SSH_AUTH_SOCK KW_TEST_PASSWORD KW_TEST_SUDO_PASSWORD KW_TEST_PASSPHRASE

note "key file"
drv -l root -i "$FX_KEY" "$FX_ADDR" run 'id -u' >"$out" || fail "key: $(cat "$out")"
assert_grep 'root_method=root' "$out"
assert_grep 'run: rc=0 exit=0 out_lines=1' "$out"
assert_grep 'prompts=0' "$out"
assert_grep 'Accepted publickey for root' "$FX/sshd.log"

note "agent"
eval "$(ssh-agent -s -a "$FX/agent.sock")" >/dev/null
FX_EXTRA_PIDS="$FX_EXTRA_PIDS $SSH_AGENT_PID"
cp "$FX_KEY" "$FX/agent_key"
ssh-add -q "$FX/agent_key" 2>/dev/null || fail "ssh-add"
rm -f "$FX/agent_key"	# only the agent holds this copy now
: >"$FX/ak/root"
cp "$FX/id_ed25519.pub" "$FX/ak/root"
mv "$FX_KEY" "$FX/key.hidden"	# nor may the driver read the file
drv -l root "$FX_ADDR" run 'echo via-agent' >"$out" || fail "agent: $(cat "$out")"
assert_grep 'run: rc=0 exit=0 out_lines=1' "$out"
assert_grep 'prompts=0' "$out"
unset SSH_AUTH_SOCK
rc=0; drv -l root "$FX_ADDR" run true >"$out" || rc=$?
assert_eq "$rc" 13 "without the agent"
assert_grep 'server offers publickey, password' "$out"
assert_grep 'tried none, publickey (key files)' "$out"
kill "$SSH_AGENT_PID"
mv "$FX/key.hidden" "$FX_KEY"

note "password"
: >"$FX/ak/$FX_USER_SUDO"
KW_TEST_PASSWORD=$FX_PASSWORD drv -l "$FX_USER_SUDO" -i /nonexistent "$FX_ADDR" \
    run 'id -un' >"$out" || fail "password: $(cat "$out")"
assert_grep "prompt: node1: Password for $FX_USER_SUDO@$FX_ADDR:$FX_PORT:" "$out"
assert_grep 'prompts=1' "$out"	# reused for sudo: not asked twice
assert_grep 'root_method=sudo-password' "$out"
assert_grep "Accepted password for $FX_USER_SUDO" "$FX/sshd.log"

note "wrong password"
rc=0
KW_TEST_PASSWORD=not-it drv -l "$FX_USER_SUDO" -i /nonexistent "$FX_ADDR" \
    run 'touch /tmp/kw-should-not' >"$out" || rc=$?
assert_eq "$rc" 13 "wrong password"
assert_grep "authentication as $FX_USER_SUDO at $FX_ADDR:$FX_PORT failed: the server offers publickey, password; tried none, publickey (key files), password" "$out"
assert_grep 'prompts=1' "$out"

note "passphrase of an encrypted key"
ssh-keygen -q -t ed25519 -N 'kw-phrase' -C enc -f "$FX/id_enc" || fail keygen
cat "$FX/id_enc.pub" >>"$FX/ak/root"
KW_TEST_PASSPHRASE=kw-phrase drv -l root -i "$FX/id_enc" "$FX_ADDR" \
    run true >"$out" || fail "passphrase: $(cat "$out")"
assert_grep "prompt: node1: Passphrase for key $FX/id_enc:" "$out"
rc=0; KW_TEST_PASSPHRASE=wrong drv -l root -i "$FX/id_enc" "$FX_ADDR" \
    run true >"$out" || rc=$?
assert_eq "$rc" 13 "wrong passphrase"

note "ssh_config alias"
cat >"$FX_CFG" <<CFG
Host kwnode
	HostName $FX_ADDR
	Port $FX_PORT
	User root
	IdentityFile $FX_KEY
	UserKnownHostsFile $FX_KH
CFG
"$DRIVER" -F "$FX_CFG" kwnode run 'id -u' >"$out" || fail "alias: $(cat "$out")"
assert_grep 'root_method=root' "$out"
# explicit settings win over the file
rc=0; "$DRIVER" -F "$FX_CFG" -l nosuchuser kwnode run true >"$out" || rc=$?
assert_eq "$rc" 13 "explicit user overrides ssh_config"
assert_grep 'authentication as nosuchuser' "$out"
: >"$FX_CFG"
rc=0; "$DRIVER" -F "$FX/no-such-config" kwnode run true >"$out" || rc=$?
assert_eq "$rc" 11 "missing ssh_config"
assert_grep "cannot read SSH configuration $FX/no-such-config: No such file" "$out"

note "ProxyJump"
before=$(grep -c 'Accepted publickey for root' "$FX/sshd.log")
drv -l root -i "$FX_KEY" -J "root@$FX_ADDR:$FX_PORT" "$FX_ADDR" run 'echo hop' \
    >"$out" || fail "jump: $(cat "$out")"
after=$(grep -c 'Accepted publickey for root' "$FX/sshd.log")
assert_eq "$((after - before))" 2 "logins through the jump host"
rc=0; drv -l root -i "$FX_KEY" -J 'root@' "$FX_ADDR" run true >"$out" || rc=$?
assert_eq "$rc" 11 "malformed jump"
assert_grep 'invalid proxy jump' "$out"

note "keyboard-interactive"
fx_stop
FX_EXTRA='PasswordAuthentication no
KbdInteractiveAuthentication yes'
fx_start
KW_TEST_PASSWORD=$FX_PASSWORD drv -l "$FX_USER_NOPW" -i /nonexistent "$FX_ADDR" \
    run 'id -u' >"$out" || fail "kbdint: $(cat "$out")"
assert_grep 'root_method=sudo-nopasswd' "$out"
assert_grep 'prompts=1' "$out"
assert_grep "Accepted keyboard-interactive/pam for $FX_USER_NOPW" "$FX/sshd.log"
rc=0
KW_TEST_PASSWORD=bad drv -l "$FX_USER_NOPW" -i /nonexistent "$FX_ADDR" run true \
    >"$out" || rc=$?
assert_eq "$rc" 13 "wrong keyboard-interactive answer"
assert_grep 'the server offers publickey, keyboard-interactive; tried none, publickey (key files), keyboard-interactive' "$out"
echo "PASS"
