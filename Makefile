# Tollgate's front door. `make run` and `make test` do all set-up on a fresh Debian 12 machine.
BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
JOBS       ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: all deps build run test test-asan test-pg fuzz fuzz-regress bench format format-check tidy clean

all: build

deps:
	@./scripts/install-deps.sh

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS)

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

# The main job on the embedded defaults (bundled catalog, policy, lists, SQLite).
run: build
	./scripts/run-main.sh $(BUILD)/tollgate

# Every test: unit, data-driven, CLI end-to-end, SQLite and (when reachable) PostgreSQL.
test: build
	./scripts/test-all.sh $(BUILD)

# The same tests under AddressSanitizer + UndefinedBehaviorSanitizer.
test-asan: deps
	cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DTOLLGATE_SANITIZE=ON -DTOLLGATE_BENCH=OFF
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=$(CURDIR)/scripts/lsan.supp:print_suppressions=0 UBSAN_OPTIONS=print_stacktrace=1 ./scripts/test-all.sh $(ASAN_BUILD)

# libFuzzer targets (clang); `make fuzz-regress` replays every corpus once.
fuzz: deps
	CC=clang CXX=clang++ cmake -S . -B $(FUZZ_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTOLLGATE_FUZZ=ON
	cmake --build $(FUZZ_BUILD) -j $(JOBS)

fuzz-regress: fuzz
	./scripts/fuzz-regress.sh $(FUZZ_BUILD)

bench: build
	./scripts/bench.sh $(BUILD)

format:
	find include src bench tests -name '*.h' -o -name '*.cc' | xargs clang-format -i

format-check:
	find include src bench tests -name '*.h' -o -name '*.cc' | xargs clang-format --dry-run --Werror

tidy: build
	find src -name '*.cc' ! -name '*_test.cc' | xargs clang-tidy -p $(BUILD) --quiet

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
