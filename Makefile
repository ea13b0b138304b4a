# SPDX-License-Identifier: GPL-2.0
#
# make                 the module for the running kernel, and sockstat-nl
# make KVER=<release>  the module for another installed kernel
# make check           the whole test suite, in QEMU, on Debian 6.1 and 6.12
# make demo            boot a Debian kernel in QEMU, load the module, show sockets
# See README.md.

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

.PHONY: all module cli check demo deps clean help

all: module cli

help:
	@sed -n '3,8p' Makefile | sed 's/^# \{0,1\}//'

# Kbuild writes objects next to the sources, so each kernel gets a tree of
# symlinks of its own under build/mod/<release>.
module: $(MODDIR)/sockstat.ko

$(MODDIR)/sockstat.ko: Kbuild VERSION $(KMOD_SRCS) include/uapi/linux/sockstat.h
	@test -d $(KDIR) || { echo "no kernel build tree at $(KDIR): install linux-headers-$(KVER), or pick an installed kernel with KVER= (see /lib/modules)" >&2; exit 1; }
	@mkdir -p $(MODDIR)/kmod
	@ln -sfn $(CURDIR)/include $(MODDIR)/include
	@ln -sf $(CURDIR)/Kbuild $(CURDIR)/VERSION $(MODDIR)/
	@ln -sf $(addprefix $(CURDIR)/,$(KMOD_SRCS)) $(MODDIR)/kmod/
	$(MAKE) -C $(KDIR) M=$(CURDIR)/$(MODDIR) W=$(W) modules

cli: $(BINDIR)/sockstat-nl

$(BINDIR)/sockstat-nl: $(CLI_SRCS) $(CLI_HDRS) VERSION
	@mkdir -p $(BINDIR)
	@pkg-config --exists libnl-genl-3.0 || { echo "libnl-genl-3.0 not found: apt-get install libnl-3-dev libnl-genl-3-dev pkg-config (or run scripts/install-deps.sh)" >&2; exit 1; }
	$(CC) $(CFLAGS) $(USER_CFLAGS) -o $@ $(CLI_SRCS) $(NL_LIBS)

deps:
	@scripts/install-deps.sh

check: deps
	@selftests/run.sh

demo: deps
	@selftests/vm/demo.sh

clean:
	rm -rf $(O)
