#!/usr/bin/env bash
# run.sh - the install/consumer test: installs a built rtk tree into a temp
# prefix with `cmake --install`, then builds and runs two downstream programs
# against it, one through find_package(rtk) (consumer/CMakeLists.txt) and one
# through `pkg-config --cflags --libs rtk`, each from a C and a C++ TU that
# include <rtk/rtk.h>. The find_package consumer also registers
# rtk_add_trace_test/rtk_add_trace_compare_test tests (checked, not run: no
# LTTng needed), and their configure-time errors are exercised: one bad
# configure, and each case of trace_test_errors.cmake under cmake -P.
# Cost: one install, two tiny builds, one failing configure (~10 s).
#
# Usage (CTest passes these; see CMakeLists.txt beside this file):
#   run.sh BUILD_DIR WORK_DIR LIBDIR VERSION CC CXX "CFLAGS" "CXXFLAGS" "LDFLAGS" [PKG_CONFIG]
set -euo pipefail
if [ $# -lt 9 ]; then
    echo "run.sh: expected 9 or 10 arguments, got $#" >&2
    exit 2
fi
build=$1 work=$2 libdir=$3 version=$4 cc=$5 cxx=$6
cflags=$7 cxxflags=$8 ldflags=$9 pkgconfig=${10:-pkg-config}
here=$(cd "$(dirname "$0")" && pwd)
prefix=$work/prefix
unset DESTDIR

fail() { echo "install test: $*" >&2; exit 1; }
step() { echo "== $*"; }

rm -rf "$work"
mkdir -p "$work"

step "cmake --install $build --prefix $prefix"
cmake --install "$build" --prefix "$prefix" >"$work/install.log" 2>&1 ||
    { cat "$work/install.log" >&2; fail "cmake --install failed (log above)"; }
for f in "$libdir/librtk.so" "$libdir/librtk.a" include/rtk/rtk.h \
         include/rtk/common.h include/rtk/input.h "$libdir/cmake/rtk/rtkConfig.cmake" \
         "$libdir/cmake/rtk/rtkConfigVersion.cmake" "$libdir/pkgconfig/rtk.pc"; do
    [ -e "$prefix/$f" ] || fail "missing after install: $prefix/$f"
done
tracing=0
[ -e "$prefix/$libdir/librtk-tp.so" ] && tracing=1

# Runs a consumer binary and checks it said ok and used the installed librtk.
check_run() { # name binary [tp]
    local name=$1 bin=$2 out libs
    out=$("$bin") || fail "$name: exited with status $?"
    case $out in *"consumer: ok"*) ;; *) fail "$name: unexpected output: $out" ;; esac
    # (ldd output is captured first: `ldd | grep -q` under pipefail can fail
    # on SIGPIPE when grep stops reading early.)
    libs=$(ldd "$bin") || fail "$name: ldd failed"
    if grep -q 'librtk\.so' <<<"$libs"; then
        grep 'librtk\.so' <<<"$libs" | grep -q "$prefix/" ||
            fail "$name: librtk.so does not come from $prefix: $(grep librtk <<<"$libs")"
    fi
    if [ "${3:-}" = tp ]; then
        grep -q "$prefix/.*librtk-tp\.so" <<<"$libs" ||
            fail "$name: not linked to $prefix/.../librtk-tp.so"
    fi
    echo "$name: $out"
}

step "find_package(rtk) consumer"
cmake -S "$here/consumer" -B "$work/cmake-consumer" \
    -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_FIND_PACKAGE_NO_PACKAGE_REGISTRY=ON \
    -DCMAKE_C_COMPILER="$cc" -DCMAKE_CXX_COMPILER="$cxx" \
    -DCMAKE_C_FLAGS="$cflags" -DCMAKE_CXX_FLAGS="$cxxflags" \
    -DCMAKE_EXE_LINKER_FLAGS="$ldflags" >"$work/consumer-configure.log" 2>&1 ||
    { cat "$work/consumer-configure.log" >&2; fail "consumer configure failed"; }
grep -q "rtk $version from $prefix" "$work/consumer-configure.log" ||
    fail "find_package did not find rtk $version in $prefix: $(grep 'rtk ' "$work/consumer-configure.log")"
cmake --build "$work/cmake-consumer" >"$work/consumer-build.log" 2>&1 ||
    { cat "$work/consumer-build.log" >&2; fail "consumer build failed"; }
check_run find_package/rtk::rtk "$work/cmake-consumer/consumer_shared"
check_run find_package/rtk::rtk_static "$work/cmake-consumer/consumer_static"
if grep -q 'librtk\.so' <<<"$(ldd "$work/cmake-consumer/consumer_static")"; then
    fail "consumer_static links librtk.so; rtk::rtk_static should be librtk.a"
fi
if [ $tracing = 1 ]; then
    check_run find_package/rtk::tp "$work/cmake-consumer/consumer_traced" tp
    # --no-as-needed must cover librtk-tp alone (push-state/pop-state), not
    # every library after it on the consumer's link line
    link=$work/cmake-consumer/CMakeFiles/consumer_traced.dir/link.txt
    grep -q -- '--push-state,--no-as-needed' "$link" ||
        fail "rtk::tp: no scoped --no-as-needed in $link"
    if grep -Eq -- '-Wl,--no-as-needed( |$)' "$link"; then
        fail "rtk::tp: an unscoped -Wl,--no-as-needed in $link"
    fi
fi

step "find_package(rtk): rtk_add_trace_test, rtk_add_trace_compare_test"
for f in rtkTraceTest.cmake rtkTraceTestRun.cmake; do
    [ -e "$prefix/$libdir/cmake/rtk/$f" ] || fail "missing after install: $prefix/$libdir/cmake/rtk/$f"
done
# (the consumer's configure already failed if the functions were not defined)
if [ -x "$prefix/bin/rt-trace" ]; then
    grep -q "rtk trace tests: rt-trace=$prefix/bin/rt-trace" "$work/consumer-configure.log" ||
        fail "rtk_RT_TRACE_EXECUTABLE is not $prefix/bin/rt-trace: $(grep 'rtk trace tests' "$work/consumer-configure.log")"
fi
if [ $tracing = 1 ] && [ -x "$prefix/bin/rt-trace" ]; then
    # Registered, not run (recording needs LTTng): the tests, their
    # properties, and the args files naming the installed rt-trace and the
    # consumer_traced target's file.
    tests=$(cd "$work/cmake-consumer" && ctest -N -L rtk-trace) || fail "ctest -N failed"
    for t in consumer.trace_budget consumer.trace_compare; do
        grep -q "$t\$" <<<"$tests" || fail "test $t not registered: $tests"
    done
    ctf=$work/cmake-consumer/CTestTestfile.cmake
    grep -q "rtk/rtkTraceTestRun.cmake" "$ctf" || fail "the tests do not run the installed rtkTraceTestRun.cmake"
    grep -q 'RUN_SERIAL "TRUE"' "$ctf" || fail "RUN_SERIAL not set: $(cat "$ctf")"
    grep -q 'TIMEOUT "60"' "$ctf" || fail "TIMEOUT 60 not set: $(cat "$ctf")"
    args=$(cat "$work"/cmake-consumer/consumer.trace_budget/args-*.cmake)
    grep -qF "$prefix/bin/rt-trace" <<<"$args" || fail "args file does not name $prefix/bin/rt-trace: $args"
    grep -qF "$work/cmake-consumer/consumer_traced" <<<"$args" ||
        fail "args file does not name the consumer_traced file: $args"
    grep -qF "$here/consumer/consumer.budget" <<<"$args" || fail "args file: budget path: $args"
    echo "trace tests registered: consumer.trace_budget, consumer.trace_compare"
fi
# Configure-time errors: one through a real configure, then each case of
# trace_test_errors.cmake against the installed module (cmake -P).
if cmake -S "$here/consumer" -B "$work/cmake-consumer-bad" \
    -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_FIND_PACKAGE_NO_PACKAGE_REGISTRY=ON \
    -DCMAKE_C_COMPILER="$cc" -DCMAKE_CXX_COMPILER="$cxx" \
    -DRTK_CONSUMER_TRACE_ERROR=ON >"$work/consumer-bad.log" 2>&1; then
    fail "configure with a missing BUDGET file succeeded (log: $work/consumer-bad.log)"
fi
flat=$(tr -s ' \n' ' ' <"$work/consumer-bad.log")
grep -qF "rtk_add_trace_test(consumer.bad): budget file not found: $here/consumer/missing.budget" <<<"$flat" ||
    { cat "$work/consumer-bad.log" >&2; fail "configure failed without the expected message"; }
echo "configure error: rtk_add_trace_test(consumer.bad): budget file not found"
ncases=0
while IFS='|' read -r case expect; do
    if out=$(cmake -DMODULE="$prefix/$libdir/cmake/rtk/rtkTraceTest.cmake" -DCASE="$case" \
             -P "$here/trace_test_errors.cmake" 2>&1); then
        fail "trace_test_errors.cmake case $case: accepted, expected: $expect"
    fi
    grep -qF -- "$expect" <<<"$(tr -s ' \n' ' ' <<<"$out")" ||
        fail "trace_test_errors.cmake case $case: expected '$expect', got: $out"
    ncases=$((ncases + 1))
done < <(cmake -DLIST=1 -P "$here/trace_test_errors.cmake" 2>&1)
[ $ncases -ge 10 ] || fail "trace_test_errors.cmake listed only $ncases cases"
echo "argument errors: $ncases cases rejected with their message"

step "pkg-config consumer"
export PKG_CONFIG_PATH="$prefix/$libdir/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
got=$("$pkgconfig" --modversion rtk) || fail "pkg-config does not find rtk"
[ "$got" = "$version" ] || fail "pkg-config rtk version is $got, expected $version"
pcdir=$work/pkg-config
mkdir -p "$pcdir"
# shellcheck disable=SC2046  # word splitting of pkg-config output is intended
build_pc() { # output-name modules...
    local out=$1; shift
    "$cc" $cflags -Wall -Wextra -Werror -std=c11 $("$pkgconfig" --cflags "$@") \
        -c "$here/consumer/consumer.c" -o "$pcdir/$out-c.o" &&
    "$cxx" $cxxflags -Wall -Wextra -Werror -std=c++11 $("$pkgconfig" --cflags "$@") \
        -c "$here/consumer/consumer_cxx.cpp" -o "$pcdir/$out-cxx.o" &&
    "$cxx" $ldflags "$pcdir/$out-c.o" "$pcdir/$out-cxx.o" $("$pkgconfig" --libs "$@") \
        -o "$pcdir/$out"
}
build_pc consumer_pc rtk || fail "pkg-config rtk build failed"
LD_LIBRARY_PATH="$prefix/$libdir" check_run "pkg-config rtk" "$pcdir/consumer_pc"
if [ $tracing = 1 ]; then
    build_pc consumer_pc_tp rtk-tp || fail "pkg-config rtk-tp build failed"
    LD_LIBRARY_PATH="$prefix/$libdir" check_run "pkg-config rtk-tp" "$pcdir/consumer_pc_tp" tp
fi
step "examples/live-grep built from the installed package, as the README says"
# A copy of the example outside the tree, configured exactly as README.md's
# non-system-prefix section says (CMAKE_PREFIX_PATH, CMAKE_INSTALL_RPATH),
# built, and run on a scripted input: its summary must match the in-tree
# build's for the same input, and it must load librtk from the prefix.
src=$(cd "$here/../.." && pwd)/examples/live-grep
lg=$work/live-grep
mkdir -p "$lg"
cp "$src"/*.c "$src"/*.h "$src"/CMakeLists.txt "$lg/"
PREFIX=$prefix
cmake -S "$lg" -B "$lg/build" -DCMAKE_PREFIX_PATH="$PREFIX" \
      -DCMAKE_INSTALL_RPATH="$PREFIX/$libdir" \
      -DCMAKE_C_COMPILER="$cc" -DCMAKE_C_FLAGS="$cflags" \
      -DCMAKE_EXE_LINKER_FLAGS="$ldflags" >"$work/live-grep-configure.log" 2>&1 ||
    { cat "$work/live-grep-configure.log" >&2; fail "live-grep: configure against $PREFIX failed"; }
cmake --build "$lg/build" >"$work/live-grep-build.log" 2>&1 ||
    { cat "$work/live-grep-build.log" >&2; fail "live-grep: build against $PREFIX failed"; }
libs=$(ldd "$lg/build/live-grep") || fail "live-grep: ldd failed"
grep 'librtk\.so' <<<"$libs" | grep -q "$prefix/" ||
    fail "live-grep: librtk.so does not come from $prefix: $(grep librtk <<<"$libs")"
lg_run() { printf 'anx\x7f\n' | "$1" --lines 5000 --seed 3 2>&1 >/dev/null | tail -n 1; }
got=$(lg_run "$lg/build/live-grep") || fail "live-grep (installed): exit status $?"
case $got in
    'live-grep: query "an", matches '[1-9]*', keys 5, reads 1, dropped 0') ;;
    *) fail "live-grep (installed): unexpected summary: $got" ;;
esac
intree=$build/examples/live-grep/live-grep
if [ -x "$intree" ]; then
    want=$(lg_run "$intree") || fail "live-grep (in tree): exit status $?"
    [ "$got" = "$want" ] || fail "live-grep: installed build says [$got], in-tree build [$want]"
fi
echo "live-grep: $got"

echo "install test: ok (prefix $prefix, tracing=$tracing)"
