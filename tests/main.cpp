// main.cpp - the single Catch2 main for the rtk unit-test executable.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
