# SPDX-License-Identifier: GPL-2.0
#
# make                 the module for the running kernel, and sockstat-nl
# make KVER=<release>  the module for another installed kernel
# make check           the whole test suite, in QEMU, on the oldest and the newest
#                      Debian kernel and the newest's PREEMPT_RT flavour (6.1, 7.x, 7.x-rt)
# make check-all       the same on every kernel: 6.1, 6.12, 6.12-rt, 7.x, 7.x-rt
# make check-debug     the suite on a KASAN/lockdep/kmemleak kernel built from linux-source-6.12
# make demo            boot a Debian kernel in QEMU, load the module, run the lab's
#                      scenarios one after another and show their sockets
# make vm              a shell in that guest: module loaded, sockstat-nl, the lab
#                      programs and the man page at hand; exit powers it off
# make lab             the lab programs (user/lab/) into build/lab
# make lab-doc         capture Documentation/lab/*.txt and draw their pictures again
#                      (in QEMU), then make lab-html
# make lab-html        build/lab/index.html: every lab step on one page, with its
#                      picture, from Documentation/lab
# make bench           sockstat-nl against ss, ss -p, lsof and /proc, up to
#                      100,000 sockets, in QEMU on 6.1 and 6.12 (10-20 min;
#                      Documentation/performance.rst)
# make bench-ab REV=C  this tree's module and sockstat-nl against commit C's, loaded
#                      in turn on the same 100,000 sockets, in QEMU on 6.1 and 6.12
#                      (about 15 min; Documentation/performance.rst)
# make bench-events    what the live events cost a connect/accept/close and a
#                      socketpair/close loop (no module, no subscriber, one),
#                      and what a subscriber keeps up with, in QEMU on 6.1,
#                      6.12 and 7.x, one guest at a time (Documentation/performance.rst)
# make man             build/man/sockstat-nl.8 (rst2man)
# make install         the module under /lib/modules/$(KVER)/updates (and depmod),
#                      sockstat-nl, its man page and bash completion under
#                      $(PREFIX) (/usr/local); DESTDIR=, KVER=, PREFIX= as usual
# make install-cli     only sockstat-nl, its man page, its bash completion and
#                      the lab programs ($(PREFIX)/lib/sockstat/lab)
# make uninstall       remove exactly what make install put there
# make deb             Debian packages sockstat-dkms and sockstat-nl into build/deb
#                      (dpkg-buildpackage from a copy of the tree; lintian)
# make dkms-add        the module's sources to /usr/src/sockstat-<version>, dkms add
# make dkms-install    dkms-add, then dkms install for every kernel with headers
# make dkms-remove     dkms remove --all, and the /usr/src copy
# See README.md and Documentation/install.rst.

KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build
W ?= 1

O := build
MODDIR := $(O)/mod/$(KVER)
BINDIR := $(O)/bin

CC ?= cc
CFLAGS ?= -O2 -g
USER_CFLAGS := -std=gnu11 -Wall -Wextra -Werror=implicit-function-declaration \
	-Iinclude/uapi -DSOCKSTAT_VERSION='"$(shell cat VERSION)"' \
	$(shell pkg-config --cflags libnl-genl-3.0 2>/dev/null)
NL_LIBS := $(shell pkg-config --libs libnl-genl-3.0 2>/dev/null)

KMOD_SRCS := $(wildcard kmod/*.c kmod/*.h) kmod/probe.sh
CLI_SRCS := $(wildcard user/*.c)
CLI_HDRS := $(wildcard user/*.h) include/uapi/linux/sockstat.h

TESTS := sockstat_test events_test events_family_test events_loss_test watch_test busy_test zoo_test nofd_test crosscheck_test policy_test perm_test fuzz_test dump_test stress_test cli_test lab_test module_test graph_test
TEST_BINS := $(addprefix $(O)/selftests/,$(TESTS))
# The kselftest harness comes from Debian's linux-source-6.12, never a copy.
KSRC_TAR ?= /usr/src/linux-source-6.12.tar.xz
KSFT := $(O)/ksft/kselftest_harness.h
TEST_CFLAGS := -O2 -g -Wall -Iinclude/uapi -I$(O)/ksft

CHECKPATCH := $(O)/checkpatch/scripts/checkpatch.pl
# The kernel's YNL tools and netlink schemas, laid out as in a kernel tree
# (the tools find the schema next to the spec, and the tree's root by its
# MAINTAINERS file).
YNL := $(O)/ynl
YNL_SPEC := $(YNL)/Documentation/netlink/specs/sockstat.yaml

.PHONY: all module cli selftests checkpatch ynl check check-all check-debug demo bench bench-bins bench-scale bench-ab bench-events \
	deps clean help lab-html \
	man install install-cli uninstall dkms-src dkms-add dkms-install dkms-remove deb lab lab-doc vm

all: module cli

help:
	@sed -n '3,/^# See README/p' Makefile | sed 's/^# \{0,1\}//'

# Kbuild writes objects next to the sources, so each kernel gets a tree of
# symlinks of its own under build/mod/<release>.
module: $(MODDIR)/sockstat.ko

# A kernel of another Debian suite than this machine's (7.x from
# trixie-backports needs trixie's gcc-14 and libc) has its headers in that
# suite's chroot, build/chroot/SUITE (scripts/suite.sh, made by
# scripts/install-deps.sh): the same make runs there, on this tree.
# (The chroot's build link may be absolute, so it is looked at, not followed.)
CHROOT_SUITE := $(if $(wildcard $(KDIR)/Makefile),,$(shell for d in $(O)/chroot/*/; do \
	[ -L "$${d}lib/modules/$(KVER)/build" ] && basename "$$d" && break; done))

ifneq ($(CHROOT_SUITE),)
$(MODDIR)/sockstat.ko: Kbuild VERSION $(KMOD_SRCS) include/uapi/linux/sockstat.h
	scripts/suite.sh run $(CHROOT_SUITE) $(MAKE) module KVER=$(KVER) W=$(W)
else
$(MODDIR)/sockstat.ko: Kbuild VERSION $(KMOD_SRCS) include/uapi/linux/sockstat.h \
		$(MODDIR)/kmod/probes.h
	@ln -sfn $(CURDIR)/include $(MODDIR)/include
	@ln -sf $(CURDIR)/Kbuild $(CURDIR)/VERSION $(MODDIR)/
	@ln -sf $(addprefix $(CURDIR)/,$(KMOD_SRCS)) $(MODDIR)/kmod/
	$(MAKE) -C $(KDIR) M=$(CURDIR)/$(MODDIR) W=$(W) modules

# The feature probes for kmod/compat.h (kmod/probe.sh), against this
# kernel; again when they change, or the kernel's configuration does.
$(MODDIR)/kmod/probes.h: kmod/probe.sh $(wildcard $(KDIR)/.config)
	@test -d $(KDIR) || { echo "no kernel build tree at $(KDIR): install linux-headers-$(KVER), or pick an installed kernel with KVER= (see /lib/modules)" >&2; exit 1; }
	@mkdir -p $(MODDIR)/kmod
	kmod/probe.sh $(KDIR) $(MODDIR)/probe $@
endif

cli: $(BINDIR)/sockstat-nl

$(BINDIR)/sockstat-nl: $(CLI_SRCS) $(CLI_HDRS) VERSION
	@mkdir -p $(BINDIR)
	@pkg-config --exists libnl-genl-3.0 || { echo "libnl-genl-3.0 not found: apt-get install libnl-3-dev libnl-genl-3-dev pkg-config (or run scripts/install-deps.sh)" >&2; exit 1; }
	$(CC) $(CPPFLAGS) $(CFLAGS) $(USER_CFLAGS) $(LDFLAGS) -o $@ $(CLI_SRCS) $(NL_LIBS)

selftests: $(TEST_BINS)

$(KSFT):
	@test -f $(KSRC_TAR) || { echo "$(KSRC_TAR) not found: apt-get install linux-source-6.12 (or run scripts/install-deps.sh)" >&2; exit 1; }
	@mkdir -p $(O)/ksft
	tar -C $(O)/ksft --strip-components=4 -xJf $(KSRC_TAR) \
		$(addprefix linux-source-6.12/tools/testing/selftests/,kselftest_harness.h kselftest.h)
	@touch $@

TEST_LIB := selftests/nl.c selftests/run_cmd.c selftests/modload.c selftests/inet.c selftests/evq.c

$(O)/selftests/%: selftests/%.c $(TEST_LIB) $(TEST_LIB:.c=.h) \
		include/uapi/linux/sockstat.h $(KSFT)
	@mkdir -p $(O)/selftests
	$(CC) $(TEST_CFLAGS) -o $@ $< $(TEST_LIB) -lpthread -lutil

# The teaching lab's programs (user/lab/, Documentation/lab.rst) and the
# scripts that run its scenarios (lab-demo; lab-events, the one with the
# module's events).
LAB := $(O)/lab
LAB_PROGS := epoll-server tcp-client fork-server backlog-server unix-dgram-srv \
	unix-dgram-cli unix-stream-srv unix-stream-cli socketpair udp-connected unread
LAB_EXES := $(addprefix $(LAB)/,$(LAB_PROGS)) $(LAB)/lab-demo $(LAB)/lab-events
# Read by awk -f, not run: installed without the executable bit.
LAB_DATA := $(LAB)/lab-graph-diff.awk
LAB_BINS := $(LAB_EXES) $(LAB_DATA)

lab: $(LAB_BINS)

$(LAB)/%: user/lab/%.c user/lab/lab.c user/lab/lab.h
	@mkdir -p $(LAB)
	$(CC) $(CPPFLAGS) $(CFLAGS) -std=gnu11 -Wall -Wextra $(LDFLAGS) -o $@ $< user/lab/lab.c

$(LAB)/lab-demo: user/lab/lab-demo.sh
	@mkdir -p $(LAB)
	install -m 755 $< $@

$(LAB)/lab-events: user/lab/lab-events.sh
	@mkdir -p $(LAB)
	install -m 755 $< $@

$(LAB)/lab-graph-diff.awk: user/lab/lab-graph-diff.awk
	@mkdir -p $(LAB)
	install -m 644 $< $@

# The lab on one page (scripts/lab-html.py), from what make lab-doc captured.
lab-html: $(LAB)/index.html

$(LAB)/index.html: scripts/lab-html.py $(wildcard Documentation/lab/*)
	@mkdir -p $(LAB)
	python3 scripts/lab-html.py Documentation/lab $@

# lab_test runs the lab programs.
$(O)/selftests/lab_test: $(LAB_BINS)

# checkpatch.pl from linux-source-6.12, strict, on the kernel code.
checkpatch: $(CHECKPATCH)
	perl $(CHECKPATCH) --no-tree --strict --terse --show-types -f \
		$(wildcard kmod/*.c kmod/*.h) include/uapi/linux/sockstat.h | \
		awk '{print} /^total:/ && !/0 errors, 0 warnings, 0 checks/ {bad = 1} END {exit bad}'

$(CHECKPATCH):
	@test -f $(KSRC_TAR) || { echo "$(KSRC_TAR) not found: apt-get install linux-source-6.12 (or run scripts/install-deps.sh)" >&2; exit 1; }
	@mkdir -p $(O)/checkpatch
	tar -C $(O)/checkpatch --strip-components=1 -xJf $(KSRC_TAR) \
		$(addprefix linux-source-6.12/scripts/,checkpatch.pl spelling.txt const_structs.checkpatch)
	@touch $@

ynl: $(YNL_SPEC)

$(YNL)/.done:
	@test -f $(KSRC_TAR) || { echo "$(KSRC_TAR) not found: apt-get install linux-source-6.12 (or run scripts/install-deps.sh)" >&2; exit 1; }
	@mkdir -p $(YNL)
	tar -C $(YNL) --strip-components=1 -xJf $(KSRC_TAR) \
		linux-source-6.12/tools/net/ynl \
		$(addprefix linux-source-6.12/Documentation/netlink/,genetlink.yaml \
			genetlink-legacy.yaml specs/nlctrl.yaml)
	@touch $(YNL)/MAINTAINERS $@

$(YNL_SPEC): Documentation/netlink/specs/sockstat.yaml $(YNL)/.done
	@mkdir -p $(dir $@)
	cp $< $@

# ---------------------------------------------------------------------------
# Installing: make man, make install, make uninstall, and DKMS.  See
# Documentation/install.rst.  Nothing here runs for "make", "make module"
# or "make check"; the module target must keep working in the reduced copy
# of the sources that DKMS builds from (no user/, no selftests/).
# ---------------------------------------------------------------------------
PREFIX ?= /usr/local
VERSION := $(shell cat VERSION)
RST2MAN ?= rst2man
MAN_RST := Documentation/man/sockstat-nl.8.rst
MANPAGE := $(O)/man/sockstat-nl.8
# Where make install puts things (DESTDIR: a staging root, e.g. a package's
# or an unpacked kernel image's).
MODLIB := $(DESTDIR)/lib/modules/$(KVER)
INST_KO := $(MODLIB)/updates/sockstat.ko
INST_CLI := $(DESTDIR)$(PREFIX)/sbin/sockstat-nl
INST_MAN := $(DESTDIR)$(PREFIX)/share/man/man8/sockstat-nl.8
COMPLETION := user/completion/sockstat-nl.bash
INST_COMPLETION := $(DESTDIR)$(PREFIX)/share/bash-completion/completions/sockstat-nl
INST_LAB := $(DESTDIR)$(PREFIX)/lib/sockstat/lab
# depmod only where a kernel's module tree is (its modules.order comes with
# the kernel's package): a bare DESTDIR, or a kernel of which only the
# headers are installed, has none.
define run-depmod
@if [ -f "$(MODLIB)/modules.order" ]; then \
		echo "depmod $(if $(DESTDIR),-b $(DESTDIR) )$(KVER)"; \
		depmod $(if $(DESTDIR),-b "$(DESTDIR)") "$(KVER)"; \
	else \
		echo "$(MODLIB)/modules.order not found (not a kernel's module tree): depmod skipped"; \
	fi
endef
# DKMS builds from a copy of just the module's sources (dkms-src); dkms.conf's
# PACKAGE_VERSION placeholder, #MODULE_VERSION# (dh_dkms's), is filled in
# from VERSION as it is copied (by dh_dkms -V in the package).
DKMS_SRC := /usr/src/sockstat-$(VERSION)
DKMS_FILES := Kbuild VERSION Makefile LICENSE kmod include

man: $(MANPAGE)

$(MANPAGE): $(MAN_RST)
	@command -v $(RST2MAN) >/dev/null || { echo "$(RST2MAN) not found: apt-get install python3-docutils (or run scripts/install-deps.sh)" >&2; exit 1; }
	@mkdir -p $(dir $@)
	$(RST2MAN) --halt=warning --exit-status=warning $< $@.tmp || { rm -f $@.tmp; exit 1; }
	@mv $@.tmp $@

install-cli: cli man lab
	install -d "$(dir $(INST_CLI))" "$(dir $(INST_MAN))" "$(dir $(INST_COMPLETION))" "$(INST_LAB)"
	install -m 755 $(BINDIR)/sockstat-nl "$(INST_CLI)"
	install -m 644 $(MANPAGE) "$(INST_MAN)"
	install -m 644 $(COMPLETION) "$(INST_COMPLETION)"
	install -m 755 $(LAB_EXES) "$(INST_LAB)"
	install -m 644 $(LAB_DATA) "$(INST_LAB)"

install: module install-cli
	install -d "$(MODLIB)/updates"
	install -m 644 $(MODDIR)/sockstat.ko "$(INST_KO)"
	$(run-depmod)

uninstall:
	rm -f "$(INST_KO)" "$(INST_CLI)" "$(INST_MAN)" "$(INST_COMPLETION)" \
		$(addprefix "$(INST_LAB)"/,$(notdir $(LAB_BINS)))
	-rmdir "$(INST_LAB)" "$(dir $(INST_LAB))" 2>/dev/null
	$(run-depmod)

# The module's sources as DKMS builds them, under $(DESTDIR)/usr/src
# (the sockstat-dkms package's; dh_dkms adds dkms.conf there).
dkms-src:
	rm -rf "$(DESTDIR)$(DKMS_SRC)"
	mkdir -p "$(DESTDIR)$(DKMS_SRC)"
	cp -R $(DKMS_FILES) "$(DESTDIR)$(DKMS_SRC)/"

dkms-add:
	@command -v dkms >/dev/null || { echo "dkms not found: apt-get install dkms" >&2; exit 1; }
	@# Like Debian's dkms packages: a version already added goes first
	@# (from every kernel), so that the new sources are the ones built.
	@if [ -n "$$(dkms status sockstat/$(VERSION))" ]; then \
		echo "dkms remove sockstat/$(VERSION) --all"; \
		dkms remove sockstat/$(VERSION) --all; \
	fi
	$(MAKE) --no-print-directory dkms-src DESTDIR=
	sed 's/#MODULE_VERSION#/$(VERSION)/' dkms.conf >$(DKMS_SRC)/dkms.conf
	dkms add sockstat/$(VERSION)

# Debian packages (debian/, Documentation/install.rst): dpkg-buildpackage
# in a copy of the tree under build/deb (the tree's own build/ is not part
# of it, so that the package's "clean" cannot touch it), then lintian,
# which must find no error and no warning that debian/*.lintian-overrides
# does not explain.  The packages' version is debian/changelog's, which
# must be VERSION.
DEB_DIR := $(O)/deb
DEB_SRC := $(DEB_DIR)/sockstat-$(VERSION)

deb:
	@cv=$$(dpkg-parsechangelog -S Version); [ "$$cv" = "$(VERSION)" ] || \
		{ echo "debian/changelog is at $$cv, VERSION at $(VERSION): add a changelog entry for $(VERSION)" >&2; exit 1; }
	rm -rf $(DEB_DIR)
	mkdir -p $(DEB_SRC)
	tar -c --exclude=./build --exclude=./.git . | tar -x -C $(DEB_SRC)
	cd $(DEB_SRC) && dpkg-buildpackage -us -uc -b
	lintian --fail-on error,warning --info --display-info --show-overrides \
		$(DEB_DIR)/sockstat_$(VERSION)_$$(dpkg-architecture -qDEB_HOST_ARCH).changes
	@ls $(DEB_DIR)/*.deb

dkms-install: dkms-add
	@for k in $$(ls /lib/modules); do \
		if [ -e /lib/modules/$$k/build/include ]; then \
			echo "dkms install sockstat/$(VERSION) -k $$k"; \
			dkms install sockstat/$(VERSION) -k $$k || exit 1; \
		else \
			echo "no headers for $$k (apt-get install linux-headers-$$k): skipped"; \
		fi; \
	done

dkms-remove:
	@command -v dkms >/dev/null || { echo "dkms not found: apt-get install dkms" >&2; exit 1; }
	@if [ -n "$$(dkms status sockstat/$(VERSION))" ]; then \
		echo "dkms remove sockstat/$(VERSION) --all"; \
		dkms remove sockstat/$(VERSION) --all; \
	fi
	rm -rf $(DKMS_SRC)
# ---------------------------------------------------------------------------

deps:
	@scripts/install-deps.sh

check: deps
	@selftests/run.sh

check-all: deps
	@selftests/run.sh --all

# The suite on a debug kernel built from linux-source-6.12 (KASAN, lockdep,
# kmemleak, UBSAN, ...), not part of "make check"; see Documentation/testing.rst.
check-debug: deps
	@selftests/run.sh --debug

demo: deps
	@selftests/vm/demo.sh

vm: deps
	@selftests/vm/vm.sh

lab-doc: deps
	@selftests/vm/lab-doc.sh

# The benchmark's programs (selftests/bench/); not part of make check.
BENCH_BINS := $(addprefix $(O)/bench/,sockgen sockbench nlbench evbench sockiter.bpf.o)

bench-bins: $(BENCH_BINS)

$(O)/bench/%: selftests/bench/%.c selftests/bench/rawnl.h include/uapi/linux/sockstat.h
	@mkdir -p $(O)/bench
	$(CC) $(CFLAGS) -std=gnu11 -Wall -Wextra -Iinclude/uapi -o $@ $<

# make bench's BPF peer: one CO-RE object for every kernel (its header).
$(O)/bench/sockiter.bpf.o: selftests/bench/sockiter.bpf.c
	@mkdir -p $(O)/bench
	clang -O2 -g -Wall -target bpf -I/usr/include/$(shell $(CC) -print-multiarch) \
		-c -o $@ $<

bench: deps
	@selftests/vm/bench.sh

# A million AF_UNIX sockets against 100,000 and 1,000 of the same kind (#19), one
# round; results in build/bench-scale/KERNEL.
bench-scale: deps
	@SOCKSTAT_BENCH_N="1000 100000 1000000" SOCKSTAT_BENCH_P=1000 SOCKSTAT_BENCH_UNIX=1 \
	SOCKSTAT_BENCH_RUNS=$${SOCKSTAT_BENCH_RUNS:-1} SOCKSTAT_BENCH_PERF=0 \
	SOCKSTAT_BENCH_LSOF_MAX=0 SOCKSTAT_BENCH_TIMEOUT=$${SOCKSTAT_BENCH_TIMEOUT:-900} SOCKSTAT_VM_MEM=$${SOCKSTAT_VM_MEM:-8192} \
	SOCKSTAT_VM_TIMEOUT=$${SOCKSTAT_VM_TIMEOUT:-3000} SOCKSTAT_BENCH_DIR=build/bench-scale \
	selftests/vm/bench.sh

bench-ab: deps
	@selftests/vm/bench-ab.sh

bench-events: deps
	@selftests/vm/evbench.sh

clean:
	rm -rf $(O)
