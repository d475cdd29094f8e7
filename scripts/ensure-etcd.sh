#!/bin/sh
# Makes sure the real etcd and etcdctl (3.4 or newer) are there for the tests that run them.
#
#   - Found (in $ETCD_BIN_DIR when it is set, else on PATH or in /usr/bin): prints their
#     versions and exits 0.
#   - Missing, running as root with apt-get (Debian/Ubuntu): installs etcd-server and
#     etcd-client, running `apt-get update` only if the first install attempt fails. The
#     package would start and enable a system etcd service; the install runs under a
#     policy-rc.d that forbids starting services, and any etcd service that starts anyway
#     is stopped again, so nothing is left running that the tests did not start.
#   - Otherwise: prints how to install them and exits 1.
set -eu

MIN_MAJOR=3
MIN_MINOR=4
POLICY=/usr/sbin/policy-rc.d

# find_tool NAME: prints the path of the etcd tool NAME, or nothing.
find_tool() {
    if [ -n "${ETCD_BIN_DIR:-}" ]; then
        [ -x "$ETCD_BIN_DIR/$1" ] && echo "$ETCD_BIN_DIR/$1"
        return 0
    fi
    p=$(command -v "$1" 2>/dev/null || true)
    if [ -n "$p" ] && [ -x "$p" ]; then
        echo "$p"
    elif [ -x "/usr/bin/$1" ]; then
        echo "/usr/bin/$1"
    fi
    return 0
}

# report_versions ETCD ETCDCTL: prints both versions; fails if etcd is older than 3.4.
report_versions() {
    echo "etcd:    $1"
    "$1" --version | sed 's/^/  /'
    echo "etcdctl: $2"
    ETCDCTL_API=3 "$2" version | sed 's/^/  /'
    v=$("$1" --version | sed -n 's/^etcd Version: *\([0-9][0-9]*\.[0-9][0-9]*\).*/\1/p')
    major=${v%%.*} minor=${v#*.}
    if [ -z "$v" ] || [ "$major" -lt "$MIN_MAJOR" ] ||
        { [ "$major" -eq "$MIN_MAJOR" ] && [ "$minor" -lt "$MIN_MINOR" ]; }; then
        echo "error: the tests need etcd $MIN_MAJOR.$MIN_MINOR or newer (learners, full Status); found '${v:-unknown}'." >&2
        return 1
    fi
}

how_to_install() {
    cat >&2 <<MSG
error: etcd and etcdctl ($MIN_MAJOR.$MIN_MINOR or newer) are needed by the tests that run a real etcd.
${ETCD_BIN_DIR:+(ETCD_BIN_DIR=$ETCD_BIN_DIR is set, so only that directory was searched.)
}Install them, then run this script again:
  - Debian/Ubuntu:  sudo apt-get install etcd-server etcd-client
                    (then 'sudo systemctl disable --now etcd' if you want no system etcd service)
  - any Linux:      download etcd-v3.5.x-linux-amd64.tar.gz from
                    https://github.com/etcd-io/etcd/releases, unpack it, and put its
                    etcd and etcdctl on PATH (or set ETCD_BIN_DIR to that directory)
  - macOS:          brew install etcd
MSG
}

# etcd_pids: the PIDs of running processes named etcd, one a line.
etcd_pids() {
    pgrep -x etcd 2>/dev/null | sort || true
}

# stop_new_service BEFORE: stops an etcd service the package started (PIDs not in BEFORE).
stop_new_service() {
    started=$(etcd_pids | comm -13 "$1" -)
    [ -z "$started" ] && return 0
    echo "The etcd package started a system etcd service (PID $(echo $started)); stopping it." >&2
    if [ -d /run/systemd/system ]; then
        systemctl disable --now etcd.service >&2 || true
    else
        invoke-rc.d --force etcd stop >&2 || /etc/init.d/etcd stop >&2 || true
    fi
    left=$(etcd_pids | comm -13 "$1" -)
    if [ -n "$left" ]; then
        echo "error: an etcd the package started is still running (PID $(echo $left)); stop it by hand." >&2
        return 1
    fi
}

# Files this script made, removed on any exit (an interrupted apt-get included).
made_policy= before=
cleanup() {
    if [ -n "$made_policy" ]; then rm -f "$POLICY"; fi
    if [ -n "$before" ]; then rm -f "$before"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# apt_install: installs the packages with service starts forbidden.
apt_install() {
    before=$(mktemp)
    etcd_pids >"$before"
    if [ ! -e "$POLICY" ]; then
        printf '#!/bin/sh\n# Written by ensure-etcd.sh for the length of one apt-get install.\nexit 101\n' >"$POLICY"
        chmod 755 "$POLICY"
        made_policy=yes
    fi
    status=0
    DEBIAN_FRONTEND=noninteractive apt-get install -y etcd-server etcd-client || {
        echo "apt-get install failed; updating the package lists and trying once more." >&2
        DEBIAN_FRONTEND=noninteractive apt-get update &&
            DEBIAN_FRONTEND=noninteractive apt-get install -y etcd-server etcd-client
    } || status=$?
    if [ -n "$made_policy" ]; then rm -f "$POLICY"; made_policy=; fi
    stop_new_service "$before" || status=$?
    return "$status"
}

etcd=$(find_tool etcd)
etcdctl=$(find_tool etcdctl)
if [ -n "$etcd" ] && [ -n "$etcdctl" ]; then
    report_versions "$etcd" "$etcdctl"
    exit
fi

if [ -n "${ETCD_BIN_DIR:-}" ] || [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    how_to_install
    exit 1
fi

echo "etcd or etcdctl is missing; installing etcd-server and etcd-client with apt-get." >&2
apt_install
etcd=$(find_tool etcd)
etcdctl=$(find_tool etcdctl)
if [ -z "$etcd" ] || [ -z "$etcdctl" ]; then
    echo "error: apt-get finished but etcd or etcdctl is still not found." >&2
    how_to_install
    exit 1
fi
report_versions "$etcd" "$etcdctl"
