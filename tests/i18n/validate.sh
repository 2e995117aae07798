#!/bin/sh
# tests/i18n/validate.sh: with LANG=zh_CN.UTF-8, 'kubewiz validate' explains
# errors in Chinese behind the unchanged FILE:LINE:COLUMN: prefix, and its
# exit status is the same as in English.
. "${top_srcdir:-.}/tests/i18n/lib.sh"

i18n_locale
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kwi18n.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
i18n_catalog "$tmp/locale"

cat >"$tmp/bad.yaml" <<'YAML'
name: Demo
kubernetes:
  version: 1.20.9
nodes: []
YAML

run() {
	env -u LANGUAGE -u LC_MESSAGES LC_ALL="$1" LANG="$1" \
	    KUBEWIZ_LOCALEDIR="$tmp/locale" "$KUBEWIZ" validate -f "$tmp/bad.yaml" \
	    >"$tmp/out.$1" 2>&1
	echo $?
}
rc_en=$(run C.UTF-8)
rc_zh=$(run zh_CN.UTF-8)
cat "$tmp/out.zh_CN.UTF-8"
[ "$rc_en" = 2 ] || { echo "FAIL: exit $rc_en in English, not 2"; exit 1; }
[ "$rc_zh" = 2 ] || { echo "FAIL: exit $rc_zh in Chinese, not 2"; exit 1; }
grep -q "^$tmp/bad.yaml:1:7: error: name: .*uppercase" "$tmp/out.C.UTF-8" ||
    { echo "FAIL: the English error is not as expected"; cat "$tmp/out.C.UTF-8"; exit 1; }
# The prefix stays FILE:LINE:COLUMN:, the explanation is Chinese.
grep -q "^$tmp/bad.yaml:1:7: 错误: name: .*含有大写字母" "$tmp/out.zh_CN.UTF-8" ||
    { echo "FAIL: no Chinese error for name behind FILE:1:7:"; exit 1; }
grep -q "^$tmp/bad.yaml:4:1: 错误: nodes: 没有列出节点" "$tmp/out.zh_CN.UTF-8" ||
    { echo "FAIL: no Chinese error for nodes behind FILE:4:1:"; exit 1; }
grep -q 'uppercase\|no nodes are listed' "$tmp/out.zh_CN.UTF-8" &&
    { echo "FAIL: English text in the Chinese output"; exit 1; }
# --help too.
env LC_ALL=zh_CN.UTF-8 KUBEWIZ_LOCALEDIR="$tmp/locale" "$KUBEWIZ" validate --help |
    grep -q '用法：kubewiz validate -f FILE' ||
    { echo "FAIL: validate --help is not in Chinese"; exit 1; }
echo "ok: validate speaks Chinese behind FILE:LINE:COLUMN:"
