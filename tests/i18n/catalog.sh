#!/bin/sh
# tests/i18n/catalog.sh: po/zh_CN.po translates every message: msgfmt finds
# no untranslated or fuzzy entry, po/POTFILES.in names every source file
# with _() or N_(), and every msgid that xgettext extracts from them now has
# a translation in the catalogue (with the fixed kw_step texts of the stage
# scripts). Fails when a string is added untranslated.
: "${top_srcdir:=.}"
for t in msgfmt xgettext msgcomm; do
	command -v "$t" >/dev/null 2>&1 || { echo "no $t: skipped"; exit 77; }
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kwcat.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
po="$top_srcdir/po/zh_CN.po"

stats=$(LC_ALL=C msgfmt --check --statistics -o "$tmp/zh.mo" "$po" 2>&1) ||
    { echo "FAIL: msgfmt --check: $stats"; exit 1; }
echo "$stats"
case $stats in
*untranslated*|*fuzzy*) echo "FAIL: po/zh_CN.po is not complete"; exit 1 ;;
*" translated message"*) ;;
*) echo "FAIL: unexpected msgfmt output"; exit 1 ;;
esac

# POTFILES.in against the sources.
cd "$top_srcdir" || exit 1
{
	grep -lE '(^|[^A-Za-z0-9_])N?_\(' src/*.c ui/*.c
	# Stage scripts whose kw_step names a fixed text (shown by the front
	# ends through gettext).
	grep -lE 'kw_step "[^$"]+"' src/stages/*.sh
} | sort >"$tmp/want"
grep -v '^#' po/POTFILES.in | grep . | sort >"$tmp/have"
if ! cmp -s "$tmp/want" "$tmp/have"; then
	echo "FAIL: po/POTFILES.in differs from the files with _(), N_() or kw_step:"
	diff "$tmp/have" "$tmp/want"
	exit 1
fi

# Every message in the sources now is in the catalogue, translated.
# shellcheck disable=SC2046
xgettext --keyword=_ --keyword=N_ --keyword=kw_step --from-code=UTF-8 \
    -o "$tmp/now.pot" $(cat "$tmp/have") || { echo "FAIL: xgettext"; exit 1; }
msgattrib --translated --no-fuzzy -o "$tmp/done.po" "$po" ||
    { echo "FAIL: msgattrib"; exit 1; }
msgcomm --more-than=1 -o "$tmp/both.pot" "$tmp/now.pot" "$tmp/done.po"
n_now=$(grep -c '^msgid ' "$tmp/now.pot")
n_both=$(grep -c '^msgid ' "$tmp/both.pot" 2>/dev/null || echo 0)
if [ "$n_both" -ne "$n_now" ]; then
	echo "FAIL: $((n_now - n_both)) message(s) in the sources have no zh_CN" \
	    "translation (run 'make -C po update-po' and translate them):"
	msgcomm --unique -o - "$tmp/now.pot" "$tmp/both.pot" 2>/dev/null |
	    grep -A3 '^#:' | head -40
	exit 1
fi
echo "ok: $((n_now - 1)) messages, all translated"
