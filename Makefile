# Pingan — build, test and demo. See README.md.
#   make          build build/pingan (release) and build/web
#   make check    install dependencies, build, run every test tier
#   make demo     install dependencies, build, create the demo county, serve it
# Plain make; no generated build system.

CC       ?= cc
PKGS     := libmicrohttpd jansson libsodium sqlite3 geos xlsxwriter
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
WARN     := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wvla -Wwrite-strings \
            -Wstrict-prototypes -Wmissing-prototypes -fno-common
CFLAGS_REL  := $(WARN) -O2 -g -Isrc -Ibuild/gen $(PKG_CFLAGS)
CFLAGS_TEST := $(WARN) -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
               -fno-sanitize-recover=undefined -Isrc -Ibuild/gen $(PKG_CFLAGS)
LDLIBS   := $(PKG_LIBS) -lcsv -lm -lpthread

SRCS     := $(sort $(wildcard src/*.c src/*/*.c))
LIB_SRCS := $(filter-out src/main.c,$(SRCS))
EMBED    := $(sort $(wildcard sql/*.sql)) data/taxonomy.tsv data/shenqiu-divisions.tsv \
            data/shenqiu-outline.geojson data/classify/examples.tsv
GEN      := build/gen/embedded.c

REL_OBJS  := $(patsubst src/%.c,build/obj/%.o,$(LIB_SRCS)) build/obj/gen/embedded.o
TEST_OBJS := $(patsubst src/%.c,build/tobj/%.o,$(LIB_SRCS)) build/tobj/gen/embedded.o
UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(patsubst tests/unit/%.c,build/test/unit/%,$(UNIT_SRCS))
WEB_FILES := $(shell find web -type f -not -path '*/node_modules/*' 2>/dev/null)
# Third-party UI libraries come from npm (web/package.json) and are copied
# into web/vendor of the build; nothing of them is committed.
VENDOR   := web/node_modules/.package-lock.json
PORT     ?= 8080
DEMO_DB  ?= demo/pingan.db

.PHONY: all deps check demo unit api e2e crash fuzz web test-build clean format bench docs-check
all: build/pingan web

deps:
	scripts/install-deps.sh

build/tools/embed: tools/embed.c
	@mkdir -p $(@D)
	$(CC) -O1 -o $@ $<

$(GEN): build/tools/embed $(EMBED)
	@mkdir -p $(@D)
	build/tools/embed $@ $(EMBED)

build/obj/%.o: src/%.c $(wildcard src/*.h src/*/*.h)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_REL) -c -o $@ $<
build/obj/gen/embedded.o: $(GEN)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_REL) -c -o $@ $<
build/tobj/%.o: src/%.c $(wildcard src/*.h src/*/*.h)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_TEST) -c -o $@ $<
build/tobj/gen/embedded.o: $(GEN)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_TEST) -c -o $@ $<

build/libpingan.a: $(REL_OBJS)
	ar rcs $@ $^
build/libpingan-test.a: $(TEST_OBJS)
	ar rcs $@ $^

build/pingan: src/main.c build/libpingan.a
	$(CC) $(CFLAGS_REL) -o $@ $^ $(LDLIBS)

# The sanitizer build that every test tier runs against.
build/test/pingan: src/main.c build/libpingan-test.a $(WEB_FILES) $(VENDOR)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_TEST) -o $@ $(filter %.c %.a,$^) $(LDLIBS)
	$(call copy_web,build/test/web)

$(VENDOR): web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund
	@touch $@

# copy_web DEST: the UI's own files plus the vendored libraries.
define copy_web
	rm -rf $(1) && mkdir -p $(1)/vendor/leaflet
	tar -C web --exclude=node_modules --exclude=package.json --exclude=package-lock.json -cf - . | tar -C $(1) -xf -
	cp -r web/node_modules/leaflet/dist/. $(1)/vendor/leaflet/
	mkdir -p $(1)/vendor/echarts && cp web/node_modules/echarts/dist/echarts.min.js $(1)/vendor/echarts/
endef

web: $(WEB_FILES) $(VENDOR)
	$(call copy_web,build/web)

test-build: build/test/pingan $(UNIT_BINS)

build/test/unit/%: tests/unit/%.c build/libpingan-test.a tests/unit/unit.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_TEST) -Itests/unit -o $@ $< build/libpingan-test.a $(LDLIBS)

# The API document against the route table.
docs-check:
	python3 tools/check_openapi.py

unit: $(UNIT_BINS)
	@pass=0; fail=0; for t in $(UNIT_BINS); do \
	  if $$t; then pass=$$((pass+1)); else fail=$$((fail+1)); echo "FAILED: $$t"; fi; \
	done; echo "unit: $$pass passed, $$fail failed"; [ $$fail -eq 0 ]

tests/node_modules/.package-lock.json: tests/package.json tests/package-lock.json
	cd tests && npm ci --no-audit --no-fund
	@touch $@

api: build/test/pingan tests/node_modules/.package-lock.json
	node --test --test-concurrency=1 tests/api/

e2e: build/test/pingan tests/node_modules/.package-lock.json
	node --test --test-concurrency=1 tests/e2e/

# kill -9 in the middle of a stream of event creates and transitions, restart,
# check that every acknowledged request is there and nothing is half-written.
# make check runs a short form; make crash the full 20 rounds.
CRASH_ROUNDS ?= 20
crash: build/test/pingan tests/node_modules/.package-lock.json
	node tests/crash/crash.mjs $(CRASH_ROUNDS)

FUZZ_SECONDS ?= 20
FUZZ_FLAGS := $(WARN) -Wno-missing-prototypes -g -O1 -Isrc -Ibuild/gen $(PKG_CFLAGS)
FUZZ_OBJS  := $(patsubst src/%.c,build/fobj/%.o,$(LIB_SRCS)) build/fobj/gen/embedded.o
# target -> seed corpus under tests/fuzz/corpus/
FUZZERS    := fuzz_json_body:json fuzz_geojson:geojson fuzz_csv:csv fuzz_form:form fuzz_image:image

build/fobj/%.o: src/%.c $(wildcard src/*.h src/*/*.h)
	@mkdir -p $(@D)
	clang $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link,address,undefined -c -o $@ $<
build/fobj/gen/embedded.o: $(GEN)
	@mkdir -p $(@D)
	clang $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link,address,undefined -c -o $@ $<
build/libpingan-fuzz.a: $(FUZZ_OBJS)
	ar rcs $@ $^
build/fuzz/%: tests/fuzz/%.c build/libpingan-fuzz.a
	@mkdir -p $(@D)
	clang $(FUZZ_FLAGS) -fsanitize=fuzzer,address,undefined -o $@ $< build/libpingan-fuzz.a $(LDLIBS)

# Each target runs FUZZ_SECONDS from its seeds; new inputs go to build/fuzz/.
fuzz: $(foreach f,$(FUZZERS),build/fuzz/$(firstword $(subst :, ,$(f))))
	@set -e; for f in $(FUZZERS); do t=$${f%%:*}; c=$${f##*:}; \
	  rm -rf build/fuzz/corpus-$$c && mkdir -p build/fuzz/corpus-$$c && \
	  cp tests/fuzz/corpus/$$c/* build/fuzz/corpus-$$c/; \
	  echo "fuzzing $$t for $(FUZZ_SECONDS) s"; \
	  if ! build/fuzz/$$t -max_total_time=$(FUZZ_SECONDS) -max_len=8192 -print_final_stats=1 \
	    build/fuzz/corpus-$$c > build/fuzz/$$t.log 2>&1; then \
	    tail -60 build/fuzz/$$t.log; echo "FUZZ FAILED: $$t"; exit 1; fi; \
	  tail -4 build/fuzz/$$t.log; \
	done

check: deps
	$(MAKE) all test-build
	$(MAKE) docs-check
	$(MAKE) unit
	$(MAKE) api
	$(MAKE) e2e
	$(MAKE) crash CRASH_ROUNDS=3
	$(MAKE) fuzz
	@echo "make check: every tier passed"

demo: deps
	$(MAKE) all
	@mkdir -p $(dir $(DEMO_DB))
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	build/pingan demo --db $(DEMO_DB)
	@echo "Open http://127.0.0.1:$(PORT)/ — user admin, password Pingan@2026 (Ctrl-C stops)"
	build/pingan serve --db $(DEMO_DB) --port $(PORT)

build/bench/locate_bench: bench/locate_bench.c build/libpingan.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_REL) -o $@ $^ $(LDLIBS)

build/bench/gen_events: bench/gen_events.c build/libpingan.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_REL) -o $@ $^ $(LDLIBS)

bench: all build/bench/locate_bench build/bench/gen_events
	bench/run.sh

format:
	clang-format -i $(SRCS) $(wildcard src/*.h src/*/*.h) $(UNIT_SRCS) tests/fuzz/*.c

clean:
	rm -rf build
