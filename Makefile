# Build entry points. Every target runs Maven through the wrapper (./mvnw)
# with a JDK 21+ that scripts/find-jdk.sh picks.

JAVA_HOME := $(shell scripts/find-jdk.sh)
ifeq ($(JAVA_HOME),)
$(error No JDK 21+ found (see the message above). Install one, or set JAVA_HOME to a JDK 21+)
endif
export JAVA_HOME

MVN   := ./mvnw -B --no-transfer-progress
SEEDS ?= 200
START ?= 1
VERBOSE ?=
SIM   := dev.consensus.store.raft.sim

.DEFAULT_GOAL := help
DURATION ?= 60
SEED ?= 1
SCENARIO ?= all
RUNS ?= 1
FLAGS ?=

.PHONY: help build test images e2e-k3s sim demo demo-processes sim-demo planted-bugs faults bench load bench-cluster crd clean

# help: list the targets
help:
	@echo "Targets (JDK: $(JAVA_HOME)):"
	@echo "  make build     compile and package, skipping tests; store-node/target/store-node.jar is what"
	@echo "                 bin/store-node runs (bin/store-node --help lists etcd's flags)"
	@echo "  make test      unit tests, the simulation, then process tests (*IT) on the packaged jar"
	@echo "                 (mvn verify), after scripts/ensure-etcd.sh"
	@echo "  make images    the store-node and operator images as tarballs with Jib (no Docker daemon; pulls the"
	@echo "                 eclipse-temurin:21-jre base from Docker Hub): store-node/target/store-node-image.tar,"
	@echo "                 operator/target/consensus-operator-image.tar"
	@echo "  make e2e-k3s   make images, then the end-to-end scenarios on k3s (Testcontainers; needs Docker), the"
	@echo "                 operator installed from the Helm chart (docs/e2e.md)"
	@echo "  make sim       run the simulation: SEEDS seeds from START (make sim SEEDS=$(SEEDS) START=$(START));"
	@echo "                 one seed narrated: make sim SEEDS=1 START=<seed> VERBOSE=1"
	@echo "  make planted-bugs  plant each bug in scripts/planted-bugs/, show which seeds catch it, revert"
	@echo "  make faults    fault runs on 3 real store-node processes, checked: SCENARIO=$(SCENARIO) (crash, pause,"
	@echo "                 partition, membership, disk-full, mixed or all) DURATION=$(DURATION) s SEED=$(SEED) RUNS=$(RUNS)"
	@echo "                 seeds; output in faults/target/faults/<scenario>-<seed>/ (FLAGS='store-node flags')"
	@echo "  make demo      the seed walkthrough through the operator: a ConsensusCluster of 3 on the local test"
	@echo "                 harness (docs/e2e.md), leader killed, scaled to 5 through learners and back; KEEP=1 leaves it up"
	@echo "  make demo-processes  the seed walkthrough on 3 raw store-node processes (127.0.0.11-14), with etcdctl"
	@echo "  make sim-demo  the same scenario narrated inside the Raft simulator"
	@echo "  make bench     run the JMH benchmarks (BENCH='<regex> <jmh options>', e.g. BENCH='Wal -f 1 -wi 2 -i 3')"
	@echo "  make load      one load over the etcd API (ARGS='put --endpoints 127.0.0.1:2379 --clients 16 --duration 10s')"
	@echo "  make bench-cluster  3-member etcd, then store-node, the same loads, one table of ratios (ARGS='--duration 10s')"
	@echo "  make crd       regenerate the ConsensusCluster CRD from crd/'s Java types into helm/consensus-operator/crds/"
	@echo "  make clean     remove build output"

# build: compile and package every module, without running tests; this makes the runnable
# store-node/target/store-node.jar that bin/store-node starts
build:
	$(MVN) -q package -DskipTests

# test: unit tests plus the simulation; first makes sure the real etcd the tests run is installed
test:
	scripts/ensure-etcd.sh
	$(MVN) verify

# images: Jib's `images` profile in store-node and operator, never part of the default build (it pulls
# the base image); scripts/images.sh says in one sentence when the base image cannot be had
images:
	scripts/images.sh

# e2e-k3s: the scenarios on k3s in a container, with the images imported and the operator installed
# from the chart; fails (rather than skipping, as make test does) where Docker or the images are missing
e2e-k3s: images
	scripts/ensure-etcd.sh
	$(MVN) -pl store-api,store-node,crd,operator,e2e -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
	    -Dit.test=K3sScenariosIT -Dfailsafe.failIfNoSpecifiedTests=false -De2e.k3s.required=true

# sim: run SimulationMain on the test classpath; fails when it exits non-zero
sim:
	$(MVN) -q -pl store-node -am test-compile
	$(MVN) -q -pl store-node exec:java -Dexec.mainClass=$(SIM).SimulationMain -Dexec.args="--seeds $(SEEDS) --start $(START)$(if $(VERBOSE), --verbose)"

# demo: the seed walkthrough through the operator, on the e2e module's local test harness (a mock API
# server and real store-node processes; docs/e2e.md). KEEP=1 leaves it running until stopped (Ctrl-C
# or kill, which is then a normal end, not an error).
demo:
	scripts/ensure-etcd.sh
	$(MVN) -q -pl store-api,store-node,crd,operator,e2e -am package dependency:build-classpath -DskipTests \
	    -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime
	$(JAVA_HOME)/bin/java -De2e.root=$(CURDIR) -Dorg.slf4j.simpleLogger.defaultLogLevel=error \
	    -cp e2e/target/classes:$$(cat e2e/target/classpath.txt) dev.consensus.e2e.demo.DemoMain $(if $(KEEP),--keep); \
	    status=$$?; [ $$status -eq 0 ] || { [ -n "$(KEEP)" ] && [ $$status -ge 129 ]; }

# demo-processes: the seed walkthrough on three raw store-node processes, driven with etcdctl
demo-processes:
	scripts/ensure-etcd.sh
	$(MVN) -q -pl store-node -am package -DskipTests
	scripts/demo.sh

# sim-demo: the seed scenario narrated inside the Raft simulator
sim-demo:
	$(MVN) -q -pl store-node -am test-compile
	$(MVN) -q -pl store-node exec:java -Dexec.mainClass=$(SIM).SeedScenarioDemo

# planted-bugs: show that the simulation's checks can fail (sources are restored afterwards)
planted-bugs:
	scripts/planted-bugs.sh $(if $(BUG),scripts/planted-bugs/$(BUG).patch)

# faults: longer fault runs than make test's (FaultScenariosIT); exits non-zero on a violation and
# prints the seed and the command that replays it
faults:
	$(MVN) -q -pl store-api,store-node,faults -am package dependency:build-classpath -DskipTests \
	    -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime
	$(JAVA_HOME)/bin/java --enable-native-access=ALL-UNNAMED -Dstore-node.jar=store-node/target/store-node.jar \
	    -cp faults/target/classes:$$(cat faults/target/classpath.txt) dev.consensus.faults.harness.FaultsMain \
	    --scenario $(SCENARIO) --duration $(DURATION) --seed $(SEED) --seeds $(RUNS) $(if $(FLAGS),--flags '$(FLAGS)')

# bench: build bench/target/benchmarks.jar and run JMH with BENCH's arguments (all benchmarks when empty)
bench:
	$(MVN) -q -pl bench -am package -DskipTests
	$(JAVA_HOME)/bin/java -jar bench/target/benchmarks.jar $(BENCH)

# load: build bench/target/load.jar and run one load with ARGS (see `java -jar bench/target/load.jar --help`)
load:
	$(MVN) -q -pl bench -am package -DskipTests
	$(JAVA_HOME)/bin/java -jar bench/target/load.jar $(ARGS)

# crd: regenerate the CRD from the Java types and copy it over the checked-in one (CrdDriftTest fails
# the build until they match); review the diff before committing it
crd:
	$(MVN) -q -pl crd -am process-classes
	cp crd/target/classes/META-INF/fabric8/consensusclusters.consensus.dev-v1.yml helm/consensus-operator/crds/

# bench-cluster: etcd and store-node side by side (store-node skipped, saying so, until its jar exists);
# the report also goes to bench/target/cluster-bench.md
bench-cluster:
	scripts/ensure-etcd.sh
	$(MVN) -q -pl bench -am package -DskipTests
	$(JAVA_HOME)/bin/java --enable-native-access=ALL-UNNAMED -cp bench/target/load.jar dev.consensus.bench.cluster.ClusterBenchMain $(ARGS)

# clean: remove build output
clean:
	$(MVN) -q clean
