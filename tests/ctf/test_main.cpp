// test_main.cpp - Catch2's main for rtt_tsdl_tests.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
