# Liaison — the two commands that matter are `make run` and `make test`.
BUILD_DIR ?= build/release
FUZZ_DIR  ?= build/fuzz
DATA_DIR  ?= var
PORT      ?= 8080
JOBS      ?= $(shell nproc)

# ccache persists between runs; paths are made relative so any clone reuses it.
export CCACHE_DIR ?= $(HOME)/.cache/ccache
export CCACHE_BASEDIR ?= $(CURDIR)
export CCACHE_NOHASHDIR ?= true

# The web portal's sources; the built portal is rebuilt when one is newer.
WEB_SOURCES := $(shell find web/src web/public -type f 2>/dev/null) web/index.html web/vite.config.ts \
               web/tsconfig.json web/package.json web/package-lock.json

.PHONY: setup build web run demo test test-web bench bench-ledger bench-evidence bench-hi1 fuzz format tidy clean

setup:
	@scripts/setup

$(BUILD_DIR)/build.ninja:
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release

build: setup $(BUILD_DIR)/build.ninja
	cmake --build $(BUILD_DIR) -j $(JOBS)

web/dist/index.html: $(WEB_SOURCES)
	cd web && npm run --silent build

# The portal, built into web/dist, which `liaison serve` serves from /.
web: setup web/dist/index.html

# Builds, creates a demo hub in $(DATA_DIR) on first use, and serves it.
run: build web
	@$(BUILD_DIR)/liaison demo --data $(DATA_DIR) --if-missing
	$(BUILD_DIR)/liaison serve --data $(DATA_DIR) --listen 127.0.0.1:$(PORT)

test: build web
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) -LE slow
	$(MAKE) --no-print-directory test-web

# The portal's unit tests, then its end-to-end tests in Chromium against a
# real hub; screenshots land in web/test-results/screenshots/.
test-web: build web
	cd web && npm test --silent
	cd web && LIAISON_BINARY=$(abspath $(BUILD_DIR))/liaison npm run --silent e2e

bench: build
	bench/run $(BUILD_DIR)

bench-ledger: build
	bench/ledger $(BUILD_DIR)

bench-evidence: build
	bench/evidence $(BUILD_DIR)

bench-hi1: build
	bench/hi1 $(BUILD_DIR)

fuzz: setup
	cmake -S . -B $(FUZZ_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DLIAISON_FUZZ=ON
	cmake --build $(FUZZ_DIR) -j $(JOBS) --target fuzzers
	@echo "fuzzers built in $(FUZZ_DIR)/fuzz; run e.g. $(FUZZ_DIR)/fuzz/fuzz_identifier -max_total_time=60"

format:
	find src tests bench fuzz -name '*.h' -o -name '*.cc' | xargs clang-format -i

tidy: $(BUILD_DIR)/build.ninja
	find src -name '*.cc' | xargs clang-tidy -p $(BUILD_DIR) --quiet

clean:
	rm -rf build web/dist
