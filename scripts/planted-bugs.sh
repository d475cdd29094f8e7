#!/usr/bin/env bash
# Plants each bug in scripts/planted-bugs/ (or only the patches named), runs the CI's range of
# simulation seeds against it, and prints which seeds caught it and through which invariant.
# The sources are restored after each patch, also when interrupted.
# Usage: scripts/planted-bugs.sh [patch ...]      (SEEDS=2000 START=1 by default)
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA_HOME=$(scripts/find-jdk.sh)
export JAVA_HOME
SEEDS=${SEEDS:-2000}
START=${START:-1}
MVN="./mvnw -B -q --no-transfer-progress"

if [ $# -gt 0 ]; then patches=("$@"); else patches=(scripts/planted-bugs/*.patch); fi
planted=""
restore() { if [ -n "$planted" ]; then git apply -R "$planted"; planted=""; fi; }
trap restore EXIT INT TERM

for patch in "${patches[@]}"; do
  git apply --check "$patch"
  echo "== $(basename "$patch" .patch): $(head -1 "$patch" | sed 's/^Planted bug: //')"
  git apply "$patch"
  planted="$patch"
  $MVN -pl store-node test-compile
  $MVN -pl store-node exec:java -Dexec.mainClass=dev.consensus.store.raft.sim.SimulationMain \
      -Dexec.args="--seeds $SEEDS --start $START --brief" || true
  restore
  echo
done
