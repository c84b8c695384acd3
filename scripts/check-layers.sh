#!/usr/bin/env bash
# The source tree's layers (docs/DESIGN.md, "Layout"): a file may include its
# own folder and the folders below it, never one above. Prints every include
# that breaks the rule and fails when there is one.
set -uo pipefail
cd "$(dirname "$0")/.."

# What each folder may include besides itself.
declare -A allowed=(
	[proto]=""
	[io]="proto"
	[core]="proto io"
	[roles]="proto io core"
	[inspect]="proto io core"
	[fwd]="proto io core inspect"
	[conf]="proto io core"
	[store]="proto io core fwd inspect conf"
	[peek]="proto io core fwd inspect conf store"
	[api]="proto io core roles fwd inspect conf store peek"
	[cli]="proto conf api"
)
bad=0
for file in src/*/*.[ch]; do
	dir=$(basename "$(dirname "$file")")
	if [ -z "${allowed[$dir]+set}" ]; then
		echo "$file: folder $dir has no place in the layers (scripts/check-layers.sh)"
		bad=1
		continue
	fi
	while read -r inc; do
		target=${inc%%/*}
		[ "$inc" = "$target" ] && continue # same-folder include without a path
		[ "$target" = "$dir" ] && continue
		case " ${allowed[$dir]} " in
		*" $target "*) ;;
		*)
			echo "$file includes $inc: $dir may not include $target"
			bad=1
			;;
		esac
	done < <(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$file")
done
exit $bad
