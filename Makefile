# Thin wrapper around CMake for the two-command quick start:
#   make run    installs what is missing, builds, runs configs/default.yaml
#   make test   installs what is missing, builds, runs the test suite
# Other targets: build, test-asan, valgrind, fuzz, bench-*, model-entities (retrains the
# entity model from the shared data), install, format, clean.

BUILD      ?= build
ASAN_BUILD ?= build-asan
CONFIG     ?= configs/default.yaml
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_ARGS ?=

# Debian packages the build, the tests and `make run` need.
DEBS = cmake make gcc clang clang-format pkg-config git python3 \
       libyaml-dev libxml2-dev libcurl4-openssl-dev libsqlite3-dev \
       libutf8proc-dev libjansson-dev libssl-dev zlib1g-dev \
       libexttextcat-dev libexttextcat-data iso-codes tzdata libgeonames-common valgrind \
       python3-pandas nodejs chromium libpq-dev postgresql slurm-wlm munge libzstd-dev

.PHONY: all deps test-deps build run test test-asan valgrind fuzz install format clean \
        bench-engine bench-clean bench-entities bench-fetch bench-dedup bench-incremental bench-sqlite bench-postgres model-entities

all: build

# Installs the missing packages (apt-get as root; otherwise prints the
# exact command to run).
deps:
	@missing=$$(for p in $(DEBS); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; \
	done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing: $$missing"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing) >/dev/null || \
	      { echo "apt-get install failed: $$missing" >&2; exit 1; }; \
	  else \
	    echo "missing packages; run: sudo apt-get install -y $$missing" >&2; exit 1; \
	  fi; \
	fi

$(BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_ARGS) >/dev/null

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j$(JOBS)

run: build
	./$(BUILD)/winnow run $(CONFIG)

# What the reader test (tests/e2e/dataset_readers.sh) needs beyond DEBS:
# npm (Debian's, unless node came with its own) and DuckDB's npm package.
test-deps: deps
	@command -v npm >/dev/null || { [ "$$(id -u)" = 0 ] && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; } || \
	  echo "npm missing: e2e_dataset_readers will be skipped" >&2
	@[ -d tests/readers/node_modules/@duckdb/node-api ] || ! command -v npm >/dev/null || \
	  (cd tests/readers && npm ci --no-audit --no-fund >/dev/null 2>&1) || \
	  echo "npm ci failed in tests/readers: e2e_dataset_readers will be skipped" >&2

test: build test-deps
	cd $(BUILD) && ctest --output-on-failure -j$(JOBS)

# The whole suite again under AddressSanitizer and UBSan.
test-asan: deps test-deps
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWINNOW_SANITIZE=ON $(CMAKE_ARGS) >/dev/null
	cmake --build $(ASAN_BUILD) -j$(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure -j$(JOBS)

# The default run under valgrind: no leaks, no errors.
valgrind: build
	valgrind --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect,possible \
	  --errors-for-leak-kinds=definite,indirect,possible \
	  ./$(BUILD)/winnow run $(CONFIG) --set run.output_dir=$(BUILD)/valgrind-output

# libFuzzer targets (clang); FUZZ_SECONDS each.
FUZZ_SECONDS ?= 600
fuzz: deps
	CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWINNOW_FUZZ=ON >/dev/null
	cmake --build build-fuzz -j$(JOBS) --target fuzzers
	scripts/run-fuzzers build-fuzz $(FUZZ_SECONDS)

bench-engine: build
	bench/engine/run
bench-clean:
	bench/clean/run
bench-entities:
	bench/entities/run
model-entities:
	bench/entities/retrain
bench-fetch:
	bench/fetch/run
bench-dedup:
	bench/dedup/run
bench-incremental:
	bench/incremental/run
bench-sqlite:
	bench/sqlite/run
bench-postgres:
	bench/postgres/run

install: build
	cmake --install $(BUILD)

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) build-fuzz
