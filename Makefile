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

.PHONY: setup build run demo test bench bench-ledger bench-evidence bench-hi1 fuzz format tidy clean

setup:
	@scripts/setup

$(BUILD_DIR)/build.ninja:
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release

build: setup $(BUILD_DIR)/build.ninja
	cmake --build $(BUILD_DIR) -j $(JOBS)

# Builds, creates a demo hub in $(DATA_DIR) on first use, and serves it.
run: build
	@$(BUILD_DIR)/liaison demo --data $(DATA_DIR) --if-missing
	$(BUILD_DIR)/liaison serve --data $(DATA_DIR) --listen 127.0.0.1:$(PORT)

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) -LE slow

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
	rm -rf build
