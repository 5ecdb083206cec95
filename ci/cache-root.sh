# Sourced by every script that uses romharness' cache; the same rule as
# harness/core/cache_root.cc (cache_root_test checks that they agree).
# shellcheck shell=bash
ROMHARNESS_CACHE_ROOT=${ROMHARNESS_CACHE:-${XDG_CACHE_HOME:-${HOME:?set ROMHARNESS_CACHE, XDG_CACHE_HOME or HOME}/.cache}/romharness}
