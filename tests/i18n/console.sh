#!/bin/sh
# tests/i18n/console.sh: on the Linux console (TERM=linux), which cannot
# show CJK characters, a zh_CN user gets the screens in English and a line
# saying why; in a terminal emulator the same user gets Chinese.
. "${top_srcdir:-.}/tests/tui/lib.sh"
. "${top_srcdir:-.}/tests/i18n/lib.sh"

i18n_locale
i18n_catalog "$TUI_TMP/locale"
TUI_LANG=zh_CN.UTF-8
TUI_ENV="KUBEWIZ_LOCALEDIR=$TUI_TMP/locale"

TUI_TERM=screen tui_start 80 24 "$KUBEWIZ" install
tui_wait "第 1 步，共 7 步：节点"
tui_has "Step 1 of 7" && fail "English in a terminal emulator"

TUI_TERM=linux tui_start 80 24 "$KUBEWIZ" install
tui_wait "Step 1 of 7: Nodes"
tui_has "Linux console cannot show CJK characters" ||
    fail "no line says why the screens are in English"
tui_has "节点" && fail "Chinese on the Linux console"
# The message goes with the first key; the screens stay English.
tui_keys C-n
tui_wait "Fix the marked fields"
tui_has "Linux console cannot show CJK characters" &&
    fail "the note stays after a key"
tui_keys F10
tui_wait "Leave the wizard?"
echo "ok: English with a note on TERM=linux, Chinese elsewhere"
