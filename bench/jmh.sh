#!/usr/bin/env bash
# JMH benchmarks of the calculation core, from the test classpath (prints ns/op per calculator).
# Usage: bench/jmh.sh [JMH options, e.g. a benchmark name regex or -f 1 -wi 2 -i 3]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/cp.txt
exec java -cp "target/test-classes:target/classes:$(cat target/cp.txt)" org.openjdk.jmh.Main "${@:-dev.llmcalc.bench}"
