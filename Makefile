# contained: build, rootfs and tests.  `make help` lists the targets.

CC      ?= cc
CFLAGS  ?= -O2 -g
CFLAGS  += -std=gnu11 -Wall -Wextra -Werror
LDLIBS   = -lseccomp -lcap
# Static by default: a dynamic launcher spends a fifth of its start-up
# mapping libseccomp, libcap and libc (make bench shows it), and a static
# one also runs in the VM test's bare initramfs.  `make LDFLAGS=` for a
# dynamic build.
LDFLAGS ?= -static
CHECK_LIBS = $(shell pkg-config --libs check 2>/dev/null || echo -lcheck -lsubunit -lm -lrt -lpthread)

# Where the tests build their own rootfs (never the user's ./rootfs).
TEST_ROOTFS = tests/build/rootfs

.PHONY: all help roots rootfs check check-build check-unit check-oci-unit check-oci check-oci-containerd check-oci-docker check-container check-security check-process check-files check-terminal check-classroom check-programs check-enter check-hostile check-limits check-network check-labs check-rootfs-scripts check-debian check-vm check-systemd bench clean

all: contained contained-oci

help:
	@echo "make                 build ./contained and ./contained-oci (Part II, the OCI runtime)"
	@echo "sudo make rootfs     build ./rootfs -> roots/rootfs (busybox, from the distro's busybox-static)"
	@echo "sudo make roots      make roots/, where only root may go"
	@echo "sudo make check      run every test (needs root)"
	@echo "make check-build     compile contained.c four ways: plain gcc, clang, static, CONTAINED_TEST"
	@echo "sudo make check-unit / check-container / check-security / check-process /"
	@echo "     check-classroom / check-enter / check-hostile / check-limits / check-network /"
	@echo "     check-labs / check-rootfs-scripts   one suite each"
	@echo "make check-oci-unit  oci.c's config.json reader; sudo make check-oci: its lifecycle;"
	@echo "     sudo make check-oci-containerd: under a containerd the test starts;"
	@echo "     sudo make check-oci-docker: as a runtime of a dockerd the test starts"
	@echo "sudo make check-vm   run the cgroup v2 tests in a qemu VM"
	@echo "sudo make check-systemd  run contained on a Debian 12 systemd host in a qemu VM"
	@echo "sudo make check-debian  build a Debian rootfs with debootstrap and run it (~1.5 min)"
	@echo "sudo make bench      compare start-up time with the peers"

contained: contained.c
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ contained.c $(LDLIBS)

# Part II, the OCI runtime: oci.c includes contained.c (without its main)
# and adds json-c, from libjson-c-dev, for config.json.  Part I's stage
# functions it does not call are expected, hence -Wno-unused-function.
OCI_LDLIBS = -ljson-c $(LDLIBS)
contained-oci: oci.c contained.c
	$(CC) $(CFLAGS) -Wno-unused-function $(LDFLAGS) -o $@ oci.c $(OCI_LDLIBS)

# Where root filesystems live: roots/, owner root, mode 0700.  A
# container's root owns its files on disk as host root (that is what the
# idmapped mount does), so it can leave set-id-root programs in its rootfs,
# and any host user who could reach them could run them.  Only host root
# may enter roots/; contained needs no more, since it opens the rootfs as
# root and the container never walks the path.  The rootfs inside keeps
# its 0755, so the container's other users can still use its /.
ROOTS = roots
roots:
	@set -e; \
	[ "$$(id -u)" -eq 0 ] || { echo "make roots: must run as root (sudo make roots)" >&2; exit 1; }; \
	if [ -L $(ROOTS) ] || { [ -e $(ROOTS) ] && [ ! -d $(ROOTS) ]; }; then \
		echo "make roots: $(ROOTS) is not a directory: remove it" >&2; exit 1; \
	fi; \
	mkdir -p $(ROOTS); chown 0:0 $(ROOTS); chmod 0700 $(ROOTS)

# ./rootfs is a symlink to roots/rootfs.  A ./rootfs directory from an older
# `make rootfs` is moved in there (a container running on it keeps it); a
# ./rootfs symlink of your own is kept and built through.  Run as another
# user, the rootfs is built in ./rootfs as before: its files are that
# user's, not host root's, and busybox.sh says so.
rootfs:
	@set -e; \
	if [ "$$(id -u)" -eq 0 ]; then \
		$(MAKE) --no-print-directory roots; \
		if [ -d rootfs ] && [ ! -L rootfs ]; then \
			if [ -e $(ROOTS)/rootfs ] || [ -L $(ROOTS)/rootfs ]; then \
				echo "make rootfs: both ./rootfs and $(ROOTS)/rootfs exist: remove one" >&2; exit 1; \
			fi; \
			echo "mv rootfs $(ROOTS)/rootfs"; mv rootfs $(ROOTS)/rootfs; \
		fi; \
		if [ ! -L rootfs ]; then \
			mkdir -p -m 0755 $(ROOTS)/rootfs; \
			echo "ln -s $(ROOTS)/rootfs rootfs"; ln -s $(ROOTS)/rootfs rootfs; \
		fi; \
	fi; \
	echo "sh rootfs-scripts/busybox.sh rootfs"; sh rootfs-scripts/busybox.sh rootfs

# ---- tests -----------------------------------------------------------------

# contained.c must compile cleanly every way a reader or a test compiles it:
#  - the line a reader of the lesson types first: gcc, no -O, dynamic.
#    Without -O gcc warns differently (-Wformat-truncation, for one), so the
#    Makefile's -O2 build alone does not vouch for it;
#  - clang, with -Wextra;
#  - the Makefile's own flags, static, as `make` builds it;
#  - with CONTAINED_TEST, as tests/unit.c includes it (no main()).
# Each is a file in tests/build/, remade when contained.c changes; any one
# that fails to build fails check-build, and so `make check`.
BUILD_CHECKS = tests/build/contained-gcc tests/build/contained-clang \
	tests/build/contained-static tests/build/contained-test.o

check-build: $(BUILD_CHECKS)

tests/build/contained-gcc: contained.c
	@mkdir -p tests/build
	gcc -Wall -Werror contained.c -o $@ -lcap -lseccomp

tests/build/contained-clang: contained.c
	@mkdir -p tests/build
	clang -Wall -Wextra -Werror contained.c -o $@ -lcap -lseccomp

tests/build/contained-static: contained.c
	@mkdir -p tests/build
	$(CC) $(CFLAGS) -static -o $@ contained.c $(LDLIBS)

tests/build/contained-test.o: contained.c
	@mkdir -p tests/build
	$(CC) $(CFLAGS) -Wno-unused-function -DCONTAINED_TEST -c -o $@ contained.c

# Unit tests: contained.c compiled with CONTAINED_TEST, which leaves out main().
tests/build/unit: contained.c tests/unit.c
	@mkdir -p tests/build
	$(CC) $(CFLAGS) -Wno-unused-function -DCONTAINED_TEST -o $@ tests/unit.c $(LDLIBS) $(CHECK_LIBS)

tests/build/probes.stamp: $(wildcard tests/probes/*.c tests/probes/*.h)
	@mkdir -p tests/build/probes
	for src in tests/probes/*.c; do \
		$(CC) -O2 -Wall -Wextra -Werror -static -pthread -o tests/build/probes/$$(basename $$src .c) $$src || exit 1; \
	done
	touch $@

# Built aside and moved into place, so a rebuild never pulls the rootfs
# from under a test that is using it.  tests/build is root's alone, as
# roots/ is (see roots below): the containers' files are host root's.
$(TEST_ROOTFS)/.built: rootfs-scripts/busybox.sh tests/build/probes.stamp
	chmod 0700 tests/build
	rm -rf $(TEST_ROOTFS).new
	sh rootfs-scripts/busybox.sh $(TEST_ROOTFS).new
	mkdir -p $(TEST_ROOTFS).new/probes
	cp tests/build/probes/* $(TEST_ROOTFS).new/probes/
	touch $(TEST_ROOTFS).new/.built
	rm -rf $(TEST_ROOTFS) && mv $(TEST_ROOTFS).new $(TEST_ROOTFS)

tests/build/%: tests/%.c tests/harness.h
	@mkdir -p tests/build
	$(CC) $(CFLAGS) -o $@ $< $(CHECK_LIBS)

check-unit: tests/build/unit
	tests/build/unit

# oci.c's config.json reader, on the configurations containerd and Docker sent.
tests/build/oci_unit: oci.c contained.c tests/oci_unit.c
	@mkdir -p tests/build
	$(CC) $(CFLAGS) -Wno-unused-function -o $@ tests/oci_unit.c $(OCI_LDLIBS) $(CHECK_LIBS)

check-oci-unit: tests/build/oci_unit
	tests/build/oci_unit

# create, start, state, kill, delete by hand, as a shim calls them (root).
check-oci: contained-oci $(TEST_ROOTFS)/.built
	sh tests/oci_lifecycle.sh ./contained-oci $(TEST_ROOTFS)

# contained-oci as the runc of a containerd started by the test (Debian's
# containerd package; nothing of the system's containerd is used).
check-oci-containerd: contained-oci $(TEST_ROOTFS)/.built
	sh tests/oci_containerd.sh ./contained-oci $(TEST_ROOTFS)

# contained-oci as the runtime "contained" of a dockerd started by the test,
# on a containerd of its own (Debian's docker.io; nothing of the system's
# dockerd or containerd is used, no bridge, no iptables rule).
check-oci-docker: contained-oci $(TEST_ROOTFS)/.built
	sh tests/oci_docker.sh ./contained-oci $(TEST_ROOTFS)

check-container: contained tests/build/test_container $(TEST_ROOTFS)/.built
	tests/build/test_container

check-security: contained tests/build/test_security $(TEST_ROOTFS)/.built
	tests/build/test_security

check-process: contained tests/build/test_process $(TEST_ROOTFS)/.built
	tests/build/test_process

check-files: contained tests/build/test_files $(TEST_ROOTFS)/.built
	tests/build/test_files

check-terminal: contained tests/build/test_terminal $(TEST_ROOTFS)/.built
	tests/build/test_terminal

check-classroom: contained tests/build/test_classroom $(TEST_ROOTFS)/.built
	tests/build/test_classroom

check-programs: contained tests/build/test_programs $(TEST_ROOTFS)/.built
	tests/build/test_programs

check-enter: contained tests/build/test_enter $(TEST_ROOTFS)/.built
	tests/build/test_enter

check-hostile: contained tests/build/test_hostile $(TEST_ROOTFS)/.built
	tests/build/test_hostile

check-limits: contained $(TEST_ROOTFS)/.built
	sh tests/limits.sh ./contained $(TEST_ROOTFS)

# -n, in network namespaces the script makes itself: nothing leaves them.
check-network: contained $(TEST_ROOTFS)/.built
	sh tests/network.sh ./contained $(TEST_ROOTFS)

check-labs: contained contained-oci $(TEST_ROOTFS)/.built
	sh tests/labs.sh

# image.sh, alpine.sh and debian.sh's mirror choice, offline, on images the
# test builds itself.
check-rootfs-scripts: contained
	sh tests/rootfs-scripts.sh ./contained

# Not part of `make check`: debootstrap downloads ~30 MB from the host's
# Debian mirror and unpacks ~220 MB (about 1.5 minutes).
check-debian: contained
	sh tests/rootfs-debian.sh ./contained

check-vm: contained tests/build/probes.stamp
	sh tests/vm/run.sh ./contained

# A Debian 12 guest with systemd (shared /, cgroup2 managed by systemd, a
# user with a 0700 home running contained through sudo).  Its image is built
# once with debootstrap from the host's Debian mirror and cached in
# tests/build/systemd-vm/.
check-systemd: contained contained-oci tests/build/probes.stamp
	sh tests/systemd-vm/run.sh ./contained

check: check-build check-unit check-oci-unit check-oci check-oci-containerd check-oci-docker check-container check-security check-process check-files check-terminal check-classroom check-programs check-enter check-hostile check-limits check-network check-labs check-rootfs-scripts check-vm check-systemd

bench: contained
	sh tests/bench.sh ./contained

clean:
	rm -rf contained contained-oci tests/build
