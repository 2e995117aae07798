#!/bin/sh
# tests/i18n/catalog.sh: po/zh_CN.po translates every message: msgfmt finds
# no untranslated or fuzzy entry, po/POTFILES.in names every source file
# with _() or N_(), and every msgid that xgettext extracts from them now has
# a translation in the catalogue (with the texts and templates of the stage
# scripts: the keywords of po/Makevars), and every translation of a
# template keeps its placeholders ({1}..{9}). Fails when a string is added
# untranslated.
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
	# Stage scripts with a fixed text or a template for the engine to
	# translate (src/markers.c).
	grep -lE '(kw_step|kw_skip|kw_stepf|kw_skipf|kw_warnf|kw_logf|kw_die|check_failed|row_error|row_fail) "[^$"]+"' \
	    src/stages/*.sh
} | sort >"$tmp/want"
grep -v '^#' po/POTFILES.in | grep . | sort >"$tmp/have"
if ! cmp -s "$tmp/want" "$tmp/have"; then
	echo "FAIL: po/POTFILES.in differs from the files with _(), N_() or kw_step:"
	diff "$tmp/have" "$tmp/want"
	exit 1
fi

# A text with a shell variable in it cannot be translated: it must be a
# template (kw_stepf 'checking {1}' "$x").
if grep -nE '(kw_step|kw_skip|kw_warn|kw_stepf|kw_skipf|kw_warnf|kw_logf|kw_die|check_failed|row_error|row_fail) "[^"]*\$' \
    src/stages/*.sh; then
	echo "FAIL: the texts above hold shell variables: use a template"
	exit 1
fi

# Every message in the sources now is in the catalogue, translated.
keywords=$(sed -n 's/^XGETTEXT_OPTIONS *= *//p' po/Makevars)
case $keywords in
*kw_stepf*) ;;
*) echo "FAIL: no XGETTEXT_OPTIONS with the stage keywords in po/Makevars"; exit 1 ;;
esac
# shellcheck disable=SC2046,SC2086
xgettext $keywords -o "$tmp/now.pot" $(cat "$tmp/have") ||
    { echo "FAIL: xgettext"; exit 1; }
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
# A translated template has the placeholders of its msgid, no more, no less.
msgattrib --no-wrap -o "$tmp/nowrap.po" "$po" || { echo "FAIL: msgattrib"; exit 1; }
python3 - "$tmp/nowrap.po" <<'PY' || exit 1
import re, sys
bad = 0
msgid = msgstr = None
for line in open(sys.argv[1], encoding="utf-8"):
    if line.startswith("msgid "):
        msgid = line[6:].strip()
    elif line.startswith("msgstr "):
        msgstr = line[7:].strip()
        want = sorted(re.findall(r"\{[1-9]\}", msgid))
        got = sorted(re.findall(r"\{[1-9]\}", msgstr))
        if msgstr != '""' and want != got:
            print("FAIL: placeholders differ: %s -> %s" % (msgid, msgstr))
            bad += 1
sys.exit(1 if bad else 0)
PY
echo "ok: $((n_now - 1)) messages, all translated"
