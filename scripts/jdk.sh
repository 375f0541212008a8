# Sourced by run-bench.sh and .ci/run: finds a JDK of at least UPROBE_BENCH_JDK (25) the way a user
# would not have to think about, from a shell whose default java may be older. Looks, in order,
# at $JAVA_HOME, the java on PATH, /usr/lib/jvm/*, /usr/java/*, /opt/java/*, ~/.jdks/*,
# ~/.sdkman/candidates/java/* (the places Maven's toolchains plugin also searches).
UPROBE_BENCH_JDK=25

# The feature version of the JDK at $1 (its release file), or nothing.
jdk_feature() {
    local v
    v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null)
    [[ -n "$v" && -x "$1/bin/java" ]] && echo "$v"
}

# Prints the home of the first JDK >= $UPROBE_BENCH_JDK, or one line naming where it looked and
# returns 1.
find_jdk() {
    local path_java="" c v
    if command -v java >/dev/null 2>&1; then
        path_java=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
    fi
    local candidates=("${JAVA_HOME:-}" "$path_java" /usr/lib/jvm/* /usr/java/* /opt/java/* "$HOME"/.jdks/* "$HOME"/.sdkman/candidates/java/*)
    for c in "${candidates[@]}"; do
        [[ -n "$c" && -d "$c" ]] || continue
        v=$(jdk_feature "$c") || continue
        if [[ -n "$v" && "$v" -ge "$UPROBE_BENCH_JDK" ]]; then
            echo "$c"
            return 0
        fi
    done
    echo "error: uprobe-bench needs a JDK $UPROBE_BENCH_JDK or newer and found none in \$JAVA_HOME (${JAVA_HOME:-unset}), the java on PATH (${path_java:-none}), /usr/lib/jvm/*, /usr/java/*, /opt/java/*, ~/.jdks/*, ~/.sdkman/candidates/java/*; install one (Temurin $UPROBE_BENCH_JDK, or apt-get install openjdk-$UPROBE_BENCH_JDK-jdk) or set JAVA_HOME to it" >&2
    return 1
}
