#!/usr/bin/env bash
# The seed walkthrough on a real local cluster: three store-node processes on their own
# loopback addresses, driven with Debian's etcdctl exactly as a person would drive etcd.
# Leaves nothing running and nothing outside its own temporary folder.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
ETCDCTL=${ETCDCTL:-etcdctl}
WORK=$(mktemp -d -t store-node-demo.XXXXXX)
declare -A PID=()
declare -A IP=([m1]=127.0.0.11 [m2]=127.0.0.12 [m3]=127.0.0.13 [m4]=127.0.0.14)
CLUSTER="m1=http://127.0.0.11:2380,m2=http://127.0.0.12:2380,m3=http://127.0.0.13:2380"

cleanup() {
    for name in "${!PID[@]}"; do
        kill -9 "${PID[$name]}" 2>/dev/null || true
    done
    wait 2>/dev/null || true
    if [ -n "${KEEP_DEMO_LOGS:-}" ]; then
        echo "logs kept in $WORK"
    else
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
endpoints() {
    local list=() name
    for name in "$@"; do list+=("http://${IP[$name]}:2379"); done
    local IFS=,
    echo "${list[*]}"
}
ctl() {
    local eps=$1; shift
    echo "\$ etcdctl --endpoints=$eps $*"
    # etcdctl logs each retry of an unavailable call as JSON; its last line says what happened.
    "$ETCDCTL" --endpoints="$eps" --command-timeout=5s "$@" 2> >(grep -v 'retrying of unary invoker failed' >&2)
}

start_member() {
    local name=$1 state=$2 cluster=$3 ip=${IP[$1]}
    "$ROOT/bin/store-node" --name "$name" --data-dir "$WORK/$name" \
        --listen-client-urls "http://$ip:2379" --advertise-client-urls "http://$ip:2379" \
        --listen-peer-urls "http://$ip:2380" --initial-advertise-peer-urls "http://$ip:2380" \
        --initial-cluster "$cluster" --initial-cluster-state "$state" --initial-cluster-token demo \
        >>"$WORK/$name.log" 2>&1 &
    PID[$name]=$!
    echo "started $name (pid ${PID[$name]}) on $ip"
}

kill_member() {
    echo "\$ kill -9 ${PID[$1]}    # $1"
    kill -9 "${PID[$1]}"
    wait "${PID[$1]}" 2>/dev/null || true
    unset "PID[$1]"
}

# The name of the member that leads, as the given members see it (empty if none).
leader_name() {
    local eps; eps=$(endpoints "$@")
    local id
    id=$("$ETCDCTL" --endpoints="$eps" --command-timeout=2s endpoint status -w fields 2>/dev/null \
        | awk -F' : ' '/"Leader"/ && $2 != 0 { print $2; exit }') || true
    [ -n "$id" ] || return 0
    local hex; hex=$(printf '%x' "$id")
    "$ETCDCTL" --endpoints="$eps" --command-timeout=2s member list 2>/dev/null \
        | awk -F', ' -v id="$hex" '$1 == id { print $3 }'
}

wait_for_leader() {
    local i
    for i in $(seq 1 100); do
        local l; l=$(leader_name "$@")
        if [ -n "$l" ]; then echo "$l"; return 0; fi
        sleep 0.1
    done
    echo "no leader after 10 s; logs in $WORK" >&2
    return 1
}

now_ms() { date +%s%3N; }

say "1. A 3-member cluster comes up"
for m in m1 m2 m3; do start_member "$m" new "$CLUSTER"; done
LEADER=$(wait_for_leader m1 m2 m3)
sleep 1
ctl "$(endpoints m1 m2 m3)" endpoint status -w table
ctl "$(endpoints m1 m2 m3)" member list -w table

say "2. put on one member, get from another"
ctl "$(endpoints m1)" put greeting "hello, raft"
ctl "$(endpoints m3)" get greeting

say "3. Kill the leader ($LEADER): a new one is elected, no acknowledged write is lost"
SURVIVORS=()
for m in m1 m2 m3; do [ "$m" = "$LEADER" ] || SURVIVORS+=("$m"); done
START=$(now_ms)
kill_member "$LEADER"
until "$ETCDCTL" --endpoints="$(endpoints "${SURVIVORS[@]}")" --command-timeout=1s put after-failover yes >/dev/null 2>&1; do
    sleep 0.05
done
echo "writes accepted again after $(( $(now_ms) - START )) ms; new leader: $(wait_for_leader "${SURVIVORS[@]}")"
ctl "$(endpoints "${SURVIVORS[@]}")" get greeting
ctl "$(endpoints "${SURVIVORS[@]}")" endpoint status -w table
start_member "$LEADER" new "$CLUSTER"
sleep 2

say "4. Lose a majority: writes and linearizable reads fail, serializable reads still answer"
kill_member "${SURVIVORS[0]}"
kill_member "${SURVIVORS[1]}"
sleep 2
ctl "$(endpoints "$LEADER")" put lost "no" || true
ctl "$(endpoints "$LEADER")" get greeting || true
ctl "$(endpoints "$LEADER")" get greeting --consistency=s
say "   ... and restore it: service resumes by itself"
start_member "${SURVIVORS[0]}" new "$CLUSTER"
start_member "${SURVIVORS[1]}" new "$CLUSTER"
wait_for_leader m1 m2 m3 >/dev/null
ctl "$(endpoints m1 m2 m3)" put restored yes
ctl "$(endpoints m1 m2 m3)" endpoint status -w table

say "5. Scale out safely: m4 joins as a learner, catches up, then is promoted"
ADD=$(ctl "$(endpoints m1 m2 m3)" member add m4 --learner --peer-urls=http://127.0.0.14:2380)
echo "$ADD"
NEW_ID=$(echo "$ADD" | awk '/^Member/ { print $2 }')
start_member m4 existing "$CLUSTER,m4=http://127.0.0.14:2380"
# Refused until the learner is in sync (etcd's rule: within 10% of the leader's log).
ctl "$(endpoints m1 m2 m3)" member promote "$NEW_ID" 2>&1 || {
    echo "(retrying every 0.5 s until m4 has caught up)"
    until "$ETCDCTL" --endpoints="$(endpoints m1 m2 m3)" member promote "$NEW_ID" 2>/dev/null; do
        sleep 0.5
    done
}
ctl "$(endpoints m1 m2 m3 m4)" endpoint status -w table

say "6. Scale in: remove a member (the leader last; here the current leader moves away first)"
LEADER=$(wait_for_leader m1 m2 m3 m4)
LEADER_ID=$(printf '%x' "$("$ETCDCTL" --endpoints="$(endpoints "$LEADER")" endpoint status -w fields | awk -F' : ' '/"MemberID"/ { print $2 }')")
ctl "$(endpoints m1 m2 m3 m4)" member remove "$LEADER_ID"
sleep 1
REMAINING=()
for m in m1 m2 m3 m4; do [ "$m" = "$LEADER" ] || REMAINING+=("$m"); done
wait_for_leader "${REMAINING[@]}" >/dev/null
ctl "$(endpoints "${REMAINING[@]}")" member list -w table
ctl "$(endpoints "${REMAINING[@]}")" endpoint status -w table

say "Done: every member is stopped and $WORK is removed."
