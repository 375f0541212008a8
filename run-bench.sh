#!/usr/bin/env bash
# uprobe-bench's entry point. Builds target/benchmarks.jar when it is missing or older than the
# sources (Maven), then runs the command line: a profile (default: quick), list, torture, doctor,
# compare, fleet.
#   ./run-bench.sh                 run profiles/quick.properties
#   ./run-bench.sh PROFILE [--set key=value]... [--dry-run]
#   ./run-bench.sh list | doctor | keys | help | torture BACKEND [--seconds N] [--readers R] [--writers W]
#   ./run-bench.sh compare REPORT_A REPORT_B [--noise-threshold PERCENT] [--fail-on-slower PERCENT]
#   ./run-bench.sh fleet REPORT REPORT...
set -euo pipefail
HOME_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
JAR="$HOME_DIR/target/benchmarks.jar"
# shellcheck source=scripts/jdk.sh
source "$HOME_DIR/scripts/jdk.sh"
# The harness runs on a JDK 25 (java.lang.foreign for the host kernel's uprobes), whatever the
# shell's default java is; Maven finds its own through the toolchains plugin.
JDK="$(find_jdk)" || exit 1

stale() {
    [[ ! -f "$JAR" ]] && return 0
    [[ -n "$(find "$HOME_DIR/src/main" "$HOME_DIR/pom.xml" -newer "$JAR" -print -quit 2>/dev/null)" ]]
}

if stale; then
    command -v mvn >/dev/null 2>&1 || { echo "error: target/benchmarks.jar is missing or stale and Maven (mvn) is not installed" >&2; exit 1; }
    echo "building target/benchmarks.jar (mvn -B -q -DskipTests package) ..." >&2
    (cd "$HOME_DIR" && mvn -B -q -DskipTests package) >&2 || { echo "error: the build failed; run 'mvn -B -DskipTests package' to see why" >&2; exit 1; }
fi

cd "$HOME_DIR"
exec "$JDK/bin/java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -Duprobe.home="$HOME_DIR" -cp "$JAR" dev.uprobebench.cli.Main "$@"
