#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make demo inside the guest: load the module, run the lab's scenarios
# (build/lab/lab-demo, from user/lab/lab-demo.sh) one after another,
# unload.  Arguments go to lab-demo (make lab-doc passes -c DIR).
set -eu

bold=$(printf '\033[1m') off=$(printf '\033[0m')
echo "${bold}Loading the module: it registers the Generic Netlink family \"sockstat\".${off}"
echo "\$ insmod $SOCKSTAT_KO"
insmod "$SOCKSTAT_KO"

build/lab/lab-demo "$@"

echo
echo "${bold}Every scenario once more, by hand: make vm (Documentation/lab.rst).${off}"
rmmod sockstat
