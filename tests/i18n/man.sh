#!/bin/sh
# tests/i18n/man.sh: man/zh_CN/kubewiz.1 renders without a groff warning
# (lines break between Chinese characters), fits 80 columns, and has the
# structure of man/kubewiz.1: as many sections and subsections, the same
# item tags (commands, options, keys, exit codes, files, variables) in the
# same order, and every option it names, so the translation keeps up.
: "${top_srcdir:=.}"
zh="$top_srcdir/man/zh_CN/kubewiz.1"
en="$top_srcdir/man/kubewiz.1"
command -v groff >/dev/null 2>&1 || { echo "no groff: skipped"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kwman.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

LC_ALL=C.UTF-8 groff -k -man -Tutf8 -ww -rLL=78n "$zh" >"$tmp/out" 2>"$tmp/err"
if [ -s "$tmp/err" ]; then
	echo "FAIL: groff warns on the Chinese manual page:"
	cat "$tmp/err"
	exit 1
fi
grep -q '通过 SSH' "$tmp/out" || { echo "FAIL: the page did not render"; exit 1; }
wide=$(sed 's/\x1b\[[0-9;]*m//g; s/.\x08//g' "$tmp/out" | python3 -c '
import sys, unicodedata
w = 0
for line in sys.stdin:
    line = line.rstrip("\n").expandtabs()
    w = max(w, sum(2 if unicodedata.east_asian_width(c) in "WF" else 1
                   for c in line))
print(w)')
[ "$wide" -le 80 ] || { echo "FAIL: a rendered line is $wide columns wide"; exit 1; }

grep -o '\\-\\-[a-z][a-z\\-]*' "$en" | sort -u >"$tmp/en.opts"
grep -o '\\-\\-[a-z][a-z\\-]*' "$zh" | sort -u >"$tmp/zh.opts"
if ! cmp -s "$tmp/en.opts" "$tmp/zh.opts"; then
	echo "FAIL: the options named differ between the English and Chinese pages:"
	diff "$tmp/en.opts" "$tmp/zh.opts"
	exit 1
fi
# Structure: sections and subsections, and the tag line of every item.
for f in en zh; do
	eval "page=\$$f"
	grep -c '^\.SH' "$page" >"$tmp/$f.sh"
	grep -c '^\.SS' "$page" >"$tmp/$f.ss"
	grep -A1 '^\.TP' "$page" | grep -v '^\.TP' | grep -v '^--$' >"$tmp/$f.tags"
done
for part in sh ss; do
	if ! cmp -s "$tmp/en.$part" "$tmp/zh.$part"; then
		echo "FAIL: the pages have $(cat "$tmp/en.$part") and" \
		    "$(cat "$tmp/zh.$part") .${part} headings (English, Chinese)"
		exit 1
	fi
done
if ! cmp -s "$tmp/en.tags" "$tmp/zh.tags"; then
	echo "FAIL: the items (.TP tags) differ between the English and Chinese pages:"
	diff "$tmp/en.tags" "$tmp/zh.tags"
	exit 1
fi
echo "ok: the Chinese manual page renders cleanly and has every section and item"
