#!/bin/sh
# Prints the path of a JDK 21+ to use as JAVA_HOME:
#   $JAVA_HOME if it is a JDK 21+, else the newest JDK 21+ under /usr/lib/jvm
#   (override the search directory with JDK_SEARCH_DIR).
# Exits non-zero, with a message on stderr, if there is none.
set -eu

MIN=21
SEARCH_DIR=${JDK_SEARCH_DIR:-/usr/lib/jvm}

# major_version DIR: prints the major version that DIR/bin/java reports, or nothing.
major_version() {
    [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
    v=$("$1/bin/java" -version 2>&1 | sed -n 's/.* version "\([^"]*\)".*/\1/p' | head -n 1)
    case $v in
        1.*) v=${v#1.} ;;
    esac
    v=${v%%[!0-9]*}
    [ -n "$v" ] && echo "$v"
    return 0
}

if [ -n "${JAVA_HOME:-}" ]; then
    m=$(major_version "$JAVA_HOME")
    if [ -n "$m" ] && [ "$m" -ge "$MIN" ]; then
        echo "$JAVA_HOME"
        exit 0
    fi
fi

best= best_major=0
for d in "$SEARCH_DIR"/*; do
    [ -d "$d" ] || continue
    m=$(major_version "$d")
    if [ -n "$m" ] && [ "$m" -ge "$MIN" ] && [ "$m" -gt "$best_major" ]; then
        best=$d best_major=$m
    fi
done

if [ -n "$best" ]; then
    echo "$best"
    exit 0
fi

cat >&2 <<MSG
error: no JDK $MIN or newer found (JAVA_HOME=${JAVA_HOME:-<unset>}, searched $SEARCH_DIR).
Install one, e.g. 'apt-get install openjdk-21-jdk' (or any JDK $MIN+),
then set JAVA_HOME to it if it is not under $SEARCH_DIR.
MSG
exit 1
