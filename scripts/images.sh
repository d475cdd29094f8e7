#!/bin/sh
# Builds the store-node and operator images as tarballs with Jib (the `images` Maven profile):
#   store-node/target/store-node-image.tar          ghcr.io/consensus-dev/store-node:TAG
#   operator/target/consensus-operator-image.tar    ghcr.io/consensus-dev/consensus-operator:TAG
# No Docker daemon is needed, but Jib pulls the base image (eclipse-temurin:21-jre) from Docker Hub,
# or finds it in its cache (~/.cache/google-cloud-tools-java/jib) from an earlier build. When it can
# do neither, this says so in one sentence instead of leaving Maven's stack of errors as the answer.
#
# Usage: scripts/images.sh [extra Maven arguments, e.g. -o]   (MVN overrides ./mvnw -B)
set -u

MVN=${MVN:-./mvnw -B --no-transfer-progress}
mkdir -p target
log=target/images.log

# Word splitting of $MVN is wanted: it holds a command and its options.
# shellcheck disable=SC2086
$MVN -Pimages -pl store-node,operator -am package -DskipTests "$@" >"$log" 2>&1
status=$?
if [ $status -eq 0 ]; then
    ls -l store-node/target/store-node-image.tar operator/target/consensus-operator-image.tar
    exit 0
fi

# Jib's own words for a base image it could not get, online (no route, no DNS, refused, timed out)
# and offline (-o: not in its cache).
if grep -Eq 'jib-maven-plugin.*(UnknownHost|Unknown host|Connect to|connect timed out|Connection refused|Read timed out|Network is unreachable|offline mode|not found in cache|Cannot run Jib in offline mode)|I/O error for image' "$log"; then
    grep -E '^\[ERROR\] (I/O error|    )|Cannot run Jib|offline mode' "$log" | head -4 >&2
    echo "make images: Jib could not get the base image eclipse-temurin:21-jre: Docker Hub" \
         "(registry-1.docker.io) is not reachable from this machine and the image is not in Jib's cache;" \
         "no image was built. Run it where Docker Hub is reachable (no Docker daemon is needed). Maven's output: $log" >&2
else
    tail -n 30 "$log" >&2
    echo "make images: the build failed (not for want of the base image); Maven's output: $log" >&2
fi
exit $status
