#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The YNL spec against the kernel's schema and against the uapi header:
# the spec validates against Documentation/netlink/genetlink.yaml (from
# linux-source-6.12), and the header the kernel's ynl-gen-c.py makes from
# the spec has exactly the names and values of include/uapi/linux/sockstat.h.
# TAP output.  Run by selftests/run.sh after "make ynl".
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
ynl=$top/build/ynl
spec=$ynl/Documentation/netlink/specs/sockstat.yaml
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "1..3"
if python3 - "$spec" "$ynl/Documentation/netlink/genetlink.yaml" <<'PY'
import sys, yaml, jsonschema
spec = yaml.safe_load(open(sys.argv[1]))
schema = yaml.safe_load(open(sys.argv[2]))
jsonschema.validate(spec, schema)
PY
then echo "ok 1 spec validates against genetlink.yaml"; else echo "not ok 1 spec validates against genetlink.yaml"; fi

if python3 "$ynl/tools/net/ynl/ynl-gen-c.py" --spec "$spec" --mode uapi --header \
	-o "$tmp/gen.h" >"$tmp/gen.log" 2>&1; then
	echo "ok 2 ynl-gen-c.py makes a uapi header from the spec"
else
	cat "$tmp/gen.log" | sed 's/^/# /'
	echo "not ok 2 ynl-gen-c.py makes a uapi header from the spec"
	echo "not ok 3 the uapi header has the spec's names and values # no generated header"
	exit 0
fi

# The names each header defines, and a program that prints their values.
names() {
	grep -oE '\b_*SOCKSTAT_[A-Z0-9_]+\b' "$1" | grep -v '^_UAPI_LINUX_SOCKSTAT_H$' | sort -u
}
values() { # HEADER NAMES -> NAME VALUE lines
	{
		echo '#include <stdio.h>'
		echo "#include \"$1\""
		echo '#define P(x) _Generic((x), char *: ps, default: pi)(#x, x)'
		printf '%s\n' 'static void ps(const char *n, const char *v) { printf("%s \"%s\"\n", n, v); }'
		printf '%s\n' 'static void pi(const char *n, long long v) { printf("%s %lld\n", n, v); }'
		echo 'int main(void) {'
		sed 's/.*/P(&);/' "$2"
		echo 'return 0; }'
	} >"$tmp/p.c"
	cc -o "$tmp/p" "$tmp/p.c" && "$tmp/p"
}
names "$top/include/uapi/linux/sockstat.h" >"$tmp/ours"
names "$tmp/gen.h" >"$tmp/theirs"
if ! diff "$tmp/theirs" "$tmp/ours" >"$tmp/diff"; then
	sed 's/^/# names: /' "$tmp/diff"
	echo "not ok 3 the uapi header has the spec's names and values"
elif values "$top/include/uapi/linux/sockstat.h" "$tmp/ours" >"$tmp/ov" &&
	values "$tmp/gen.h" "$tmp/ours" >"$tmp/tv" && diff "$tmp/tv" "$tmp/ov" >"$tmp/diff"; then
	echo "# $(wc -l <"$tmp/ours") names compared"
	echo "ok 3 the uapi header has the spec's names and values"
else
	sed 's/^/# values: /' "$tmp/diff"
	echo "not ok 3 the uapi header has the spec's names and values"
fi
