#!/bin/sh
# tests/stages/shellcheck.sh: every stage script, and every script kubewiz
# renders from them (each stage of each profile and layout, through
# "kubewiz plan"), passes shellcheck at its strictest severity.
# Skipped (77) only when shellcheck is not installed.
set -eu

top_srcdir=${top_srcdir:-.}
top_builddir=${top_builddir:-.}
KUBEWIZ=${KUBEWIZ:-$top_builddir/kubewiz}
SHELLCHECK=${SHELLCHECK:-$(command -v shellcheck || true)}
if [ -z "$SHELLCHECK" ]; then
	echo "shellcheck is not installed: skipped"
	exit 77
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kw-shellcheck.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
failed=0

# The sources themselves (stage bodies use lib.sh and the preamble).
for f in "$top_srcdir"/src/stages/*.sh; do
	if ! "$SHELLCHECK" -S style -s sh "$f"; then
		echo "FAIL: $f"
		failed=$((failed + 1))
	fi
done

# shellcheck source=tests/stages/configs.sh
. "$top_srcdir/tests/stages/configs.sh"
stage_test_configs "$tmp"

checked=0
for layout in classic rocky9 ubuntu2204; do
	out=$tmp/$layout.plan
	"$KUBEWIZ" plan -f "$tmp/$layout.yaml" >"$out" || {
		echo "FAIL: kubewiz plan -f $layout.yaml exited $?"
		failed=$((failed + 1))
		continue
	}
	# Split the plan into one file per task at its header lines.
	mkdir -p "$tmp/$layout"
	awk -v dir="$tmp/$layout" '
		/^# ==== kubewiz plan: / {
			if (f != "") close(f)
			n++
			f = sprintf("%s/%03d.sh", dir, n)
			next
		}
		f != "" { print > f }
	' "$out"
	for s in "$tmp/$layout"/*.sh; do
		[ -f "$s" ] || continue
		checked=$((checked + 1))
		if ! "$SHELLCHECK" -S style "$s"; then
			echo "FAIL: $layout task $(basename "$s"):"
			grep -m1 "^# kubewiz: " "$s" || true
			failed=$((failed + 1))
		fi
	done
	# Every stage of the profile was rendered.
	for stage in connect preflight system runtime packages images init \
	    network ready dashboard; do
		if ! grep -q "^# --- $stage.sh ---\$" "$out"; then
			echo "FAIL: $layout: no $stage script in the plan"
			failed=$((failed + 1))
		fi
	done
	if [ "$layout" != ubuntu2204 ]; then
		for stage in join-prep join; do
			if ! grep -q "^# --- $stage.sh ---\$" "$out"; then
				echo "FAIL: $layout: no $stage script in the plan"
				failed=$((failed + 1))
			fi
		done
	fi
done

echo "shellcheck: $checked rendered scripts, $failed failure(s)"
[ "$checked" -gt 40 ] || { echo "FAIL: too few rendered scripts"; exit 1; }
[ "$failed" -eq 0 ]
