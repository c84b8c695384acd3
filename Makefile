# vpgd build. `make` builds the daemon; `make SAN=1` builds everything with
# AddressSanitizer and UndefinedBehaviorSanitizer into build-san/ (what the
# tests use); `make fuzz` builds the libFuzzer harnesses with clang; `make deb`
# builds the Debian package into build-deb/ (debian/, README "Installing").

CC      ?= cc
SAN     ?= 0
PKGS    := jansson sqlite3 libmicrohttpd libnftables libndpi libbpf
CFLAGS  ?= -O2 -g
CFLAGS  += -std=gnu11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wno-missing-field-initializers -D_GNU_SOURCE -Isrc -pthread $(shell pkg-config --cflags $(PKGS))
LDLIBS  += $(shell pkg-config --libs $(PKGS)) -pthread

ifeq ($(SAN),1)
BUILD   := build-san
CFLAGS  += -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
LDFLAGS += -fsanitize=address,undefined
else
BUILD   := build
endif

LIB_SRC := $(sort $(wildcard src/proto/*.c src/io/*.c src/core/*.c src/roles/*.c src/fwd/*.c src/inspect/*.c src/conf/*.c src/store/*.c src/peek/*.c src/api/*.c src/cli/*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
# The web console, built into the binary as C arrays (scripts/embed-assets.sh).
CONSOLE_FILES := $(sort $(wildcard console/*.html console/*.js console/*.css console/*.svg))
LIB_OBJ += $(BUILD)/gen/console_assets.o
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=build-fuzz/%)
# The codecs and config parsing the harnesses exercise; no daemon state.
FUZZ_LIB := $(sort $(wildcard src/proto/*.c src/conf/config.c src/conf/config_text.c src/conf/parse.c src/api/api_decode.c \
            src/api/api_decode_inspect.c src/api/api_decode_query.c src/api/api_decode_dns.c \
            src/api/api_decode_sim.c src/api/api_decode_peek.c))
# Junction Inspection's packet hook, with the tables and nDPI behind it.
FUZZ_LIB += src/inspect/inspect.c src/inspect/inspect_fast.c src/inspect/inspect_report.c src/inspect/flow.c src/inspect/flow_export.c \
            src/inspect/classify.c src/core/hmap.c src/core/idset.c src/core/counters.c src/core/drop.c
# The session core and the roles that drive it, for the procedures on live tables.
FUZZ_LIB += src/core/attach.c src/core/bigmem.c src/core/ippool.c src/core/rules.c src/core/rules_fast.c src/core/session.c \
            src/core/sim_routes.c src/core/cidr_list.c src/core/peer_filter.c src/io/log.c \
            $(wildcard src/roles/*.c)
# The forwarding path and its sockets, for the gate on live tables.
FUZZ_LIB += $(filter-out src/fwd/xdp.c,$(wildcard src/fwd/*.c)) src/io/udp_batch.c src/io/next_hop.c src/io/tun.c src/io/privsep.c src/io/loop.c

.PHONY: all unit fuzz clean format format-check lint deb bpf FORCE
all: $(BUILD)/vpgd $(BUILD)/vpgctl bpf

# The XDP fast path: restricted C for clang's BPF target, as strict as the rest;
# the daemon embeds the object through a bpftool skeleton (fwd/xdp.c).
BPF_CFLAGS := -target bpf -O2 -g -Wall -Wextra -Werror -Isrc -I/usr/include/$(shell gcc -dumpmachine)
BPF_OBJ := $(BUILD)/bpf/vpgd_xdp.bpf.o $(BUILD)/bpf/xdp_pass.bpf.o
bpf: $(BPF_OBJ)

$(BUILD)/bpf/%.bpf.o: bpf/%.bpf.c src/fwd/xdp_abi.h bpf/xdp_route.h bpf/xdp_neigh.h bpf/xdp_flows.h \
                      bpf/xdp_upf.h bpf/xdp_slots.h bpf/xdp_hops.h src/core/mix32.h
	@mkdir -p $(dir $@)
	clang $(BPF_CFLAGS) -c $< -o $@

$(BUILD)/bpf/vpgd_xdp.skel.h: $(BUILD)/bpf/vpgd_xdp.bpf.o
	bpftool gen skeleton $< name vpgd_xdp > $@.tmp && mv $@.tmp $@

$(BUILD)/src/fwd/xdp.o: CFLAGS += -I$(BUILD)/bpf
$(BUILD)/src/fwd/xdp.o: $(BUILD)/bpf/vpgd_xdp.skel.h
$(BUILD)/tests/test_xdp_prog: CFLAGS += -I$(BUILD)/bpf
$(BUILD)/tests/test_xdp_prog: $(BUILD)/bpf/vpgd_xdp.skel.h

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@

# The list of files, rewritten only when it changes: a file removed rebuilds the table too.
$(BUILD)/gen/console_files: FORCE
	@mkdir -p $(dir $@)
	@echo '$(CONSOLE_FILES)' | cmp -s - $@ || echo '$(CONSOLE_FILES)' >$@

$(BUILD)/gen/console_assets.c: $(CONSOLE_FILES) $(BUILD)/gen/console_files scripts/embed-assets.sh
	scripts/embed-assets.sh $@ $(CONSOLE_FILES)

$(BUILD)/gen/console_assets.o: $(BUILD)/gen/console_assets.c src/api/api_console.h
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

$(BUILD)/libvpg.a: $(LIB_OBJ)
	$(AR) rcs $@ $^

$(BUILD)/vpgd: $(BUILD)/src/vpgd.o $(BUILD)/libvpg.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# The CLI is a client of the API only: it links what it needs, not the daemon's parts.
$(BUILD)/vpgctl: $(BUILD)/src/vpgctl.o $(BUILD)/libvpg.a
	$(CC) $(LDFLAGS) -o $@ $^ $(shell pkg-config --libs jansson libcurl)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libvpg.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -Itests/unit -MMD -MP $(LDFLAGS) -o $@ $< $(BUILD)/libvpg.a $(LDLIBS) -lcmocka

unit: $(UNIT_BIN)

# The library parts are compiled once for every harness (-fsanitize=fuzzer-no-link
# instruments them without a second main); each harness then only links.
FUZZ_CFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Werror -D_GNU_SOURCE -Isrc \
	       $(shell pkg-config --cflags $(PKGS)) -fno-sanitize-recover=all
FUZZ_OBJ := $(FUZZ_LIB:%.c=build-fuzz/obj/%.o)

build-fuzz/obj/%.o: %.c
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link,address,undefined -MMD -MP -c $< -o $@

build-fuzz/%: tests/fuzz/%.c $(FUZZ_OBJ)
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer,address,undefined -o $@ $< $(FUZZ_OBJ) $(LDLIBS)

fuzz: $(FUZZ_BIN)

# The package is built from a copy of the tree in build-deb/src, so that the
# build (dpkg-buildpackage's clean, dh's files in debian/) never touches the
# tree itself; the .deb lands in build-deb/.
DEB_DIR := build-deb
deb:
	rm -rf $(DEB_DIR) && mkdir -p $(DEB_DIR)/src
	tar -cf - --exclude-vcs --exclude=./build --exclude="./build-*" \
	    --exclude=./$(DEB_DIR) --exclude=__pycache__ . | tar -xf - -C $(DEB_DIR)/src
	cd $(DEB_DIR)/src && DEB_BUILD_OPTIONS="$${DEB_BUILD_OPTIONS-parallel=2 nocheck}" \
	    dpkg-buildpackage -b -us -uc
	@ls $(DEB_DIR)/*.deb

format:
	clang-format -i src/*.c src/*/*.[ch] tests/unit/*.[ch] tests/fuzz/*.c bench/*.c bench/bpf/*.[ch] bpf/*.c

format-check:
	clang-format --dry-run --Werror src/*.c src/*/*.[ch] tests/unit/*.[ch] tests/fuzz/*.c bench/*.c bench/bpf/*.[ch] bpf/*.c

lint:
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability --inline-suppr \
	    --suppress=missingIncludeSystem -Isrc src

clean:
	rm -rf build build-san build-fuzz build-deb

-include $(LIB_OBJ:.o=.d) $(BUILD)/src/vpgd.d $(BUILD)/src/vpgctl.d $(FUZZ_OBJ:.o=.d) $(UNIT_BIN:=.d)
