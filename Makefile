# The two set-up commands are `make run` and `make test`; both install the
# Debian packages they need first (scripts/deps.sh), then build.

.PHONY: all deps deps-test build build-test run test bench clean style check-headers

CMAKE ?= cmake
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

all: build

deps:
	@sh scripts/deps.sh

build: deps
	@$(CMAKE) -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
	@$(CMAKE) --build build -j $(JOBS)

deps-test:
	@sh scripts/deps.sh test

build-test: deps-test
	@$(CMAKE) -S . -B build-test -G Ninja -DZF_TEST_BUILD=ON >/dev/null
	@$(CMAKE) --build build-test -j $(JOBS)

run: build
	@sh scripts/run.sh

test: build-test
	@cd build-test && ctest --output-on-failure -j $(JOBS)

bench: build
	@sh bench/run.sh

clean:
	rm -rf build build-test
