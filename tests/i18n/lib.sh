# shellcheck shell=sh
# tests/i18n/lib.sh: the zh_CN.UTF-8 locale and a catalogue built from
# po/zh_CN.po, bound with KUBEWIZ_LOCALEDIR (the build installs the .mo only
# at 'make install'). Sourced by the tests in this directory.

: "${KUBEWIZ:?KUBEWIZ must name the built binary}"
: "${top_srcdir:=.}"
SCREEN_PY="$top_srcdir/tests/i18n/screen.py"

# i18n_locale: make sure zh_CN.UTF-8 exists (generate it as root), else skip.
i18n_locale() {
	if ! locale -a 2>/dev/null | grep -qix 'zh_CN\.utf-\{0,1\}8'; then
		if [ "$(id -u)" -eq 0 ] && command -v localedef >/dev/null 2>&1; then
			localedef -i zh_CN -f UTF-8 zh_CN.UTF-8 >/dev/null 2>&1
		fi
	fi
	if ! locale -a 2>/dev/null | grep -qix 'zh_CN\.utf-\{0,1\}8'; then
		echo "no zh_CN.UTF-8 locale (install locales, run as root): skipped"
		exit 77
	fi
}

# i18n_catalog DIR: compile po/zh_CN.po to DIR/zh_CN/LC_MESSAGES/kubewiz.mo.
i18n_catalog() {
	command -v msgfmt >/dev/null 2>&1 || { echo "no msgfmt: skipped"; exit 77; }
	mkdir -p "$1/zh_CN/LC_MESSAGES"
	msgfmt -o "$1/zh_CN/LC_MESSAGES/kubewiz.mo" "$top_srcdir/po/zh_CN.po" ||
	    { echo "FAIL: msgfmt po/zh_CN.po"; exit 1; }
}

# i18n_check_screen W: the screen (tui_capture) fits W columns and its boxes
# line up (by display width: CJK characters take two columns).
i18n_check_screen() {
	tui_capture >"$TUI_TMP/screen.txt"
	# I18N_SAVE=DIR keeps each checked screen, to look at by eye.
	if [ -n "${I18N_SAVE:-}" ]; then
		I18N_N=$((${I18N_N:-0} + 1))
		cp "$TUI_TMP/screen.txt" "$I18N_SAVE/screen-$I18N_N.txt"
	fi
	python3 "$SCREEN_PY" check "$1" <"$TUI_TMP/screen.txt" >"$TUI_TMP/screen.err" ||
	    fail "misaligned screen: $(cat "$TUI_TMP/screen.err")"
}

# i18n_col TEXT: display column of TEXT on the screen now (-1: absent).
i18n_col() {
	tui_capture | python3 "$SCREEN_PY" col "$1"
}

# i18n_no_english NAME [ARGS...]: the screen now has no English word but
# identifiers (tests/i18n/english.py; ARGS for it: --panes, --skip REGEX,
# --allow WORD).
i18n_no_english() {
	_name=$1
	shift
	tui_capture >"$TUI_TMP/english-screen.txt"
	python3 "$top_srcdir/tests/i18n/english.py" --name "$_name" "$@" \
	    <"$TUI_TMP/english-screen.txt" >"$TUI_TMP/english.err" ||
	    fail "English on a Chinese screen: $(cat "$TUI_TMP/english.err")"
}
