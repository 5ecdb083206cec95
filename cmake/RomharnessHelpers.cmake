# Helpers in the style of abseil's absl_cc_library/absl_cc_test: one library
# target per folder, warnings set per target, tests labelled so `ctest -L unit`
# and `ctest -L boot` can be run apart.

set(RH_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wno-missing-field-initializers
    $<$<COMPILE_LANGUAGE:CXX>:-Wnon-virtual-dtor>)

# rh_cc_library(NAME name SRCS ... [DEPS ...])
# Creates rh_<name> and the alias romharness::<name>.
function(rh_cc_library)
  cmake_parse_arguments(RH "" "NAME" "SRCS;DEPS" ${ARGN})
  add_library(rh_${RH_NAME} STATIC ${RH_SRCS})
  add_library(romharness::${RH_NAME} ALIAS rh_${RH_NAME})
  target_include_directories(rh_${RH_NAME} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(rh_${RH_NAME} PUBLIC ${RH_DEPS})
  target_compile_options(rh_${RH_NAME} PRIVATE ${RH_WARNINGS})
endfunction()

# rh_cc_test(NAME name SRCS ... [DEPS ...] [LABELS unit|boot|...] [RUN_SERIAL])
# Registers each GoogleTest case with ctest (gtest_discover_tests) so a failing
# case is named in ctest's summary. RUN_SERIAL: no other test runs beside it
# (for tests about machine-wide state, which another run would change).
function(rh_cc_test)
  cmake_parse_arguments(RH "RUN_SERIAL" "NAME;TIMEOUT" "SRCS;DEPS;LABELS" ${ARGN})
  set(RH_SERIAL FALSE)
  if(RH_RUN_SERIAL)
    set(RH_SERIAL TRUE)
  endif()
  if(NOT BUILD_TESTING)
    return()
  endif()
  if(NOT RH_LABELS)
    set(RH_LABELS unit)
  endif()
  if(NOT RH_TIMEOUT)
    set(RH_TIMEOUT 120)
  endif()
  add_executable(${RH_NAME} ${RH_SRCS})
  target_link_libraries(${RH_NAME} PRIVATE ${RH_DEPS} GTest::gtest GTest::gtest_main GTest::gmock)
  target_compile_options(${RH_NAME} PRIVATE ${RH_WARNINGS})
  target_compile_definitions(${RH_NAME} PRIVATE
    RH_SOURCE_DIR="${PROJECT_SOURCE_DIR}" RH_BINARY_DIR="${PROJECT_BINARY_DIR}")
  gtest_discover_tests(${RH_NAME}
    PROPERTIES LABELS "${RH_LABELS}" TIMEOUT ${RH_TIMEOUT} RUN_SERIAL ${RH_SERIAL}
    DISCOVERY_TIMEOUT 30)
endfunction()

# rh_fuzz_target(NAME name SRCS ... [DEPS ...])
# A libFuzzer target, built only with -DRH_FUZZ=ON (the `fuzz` preset, clang).
# CI runs each for a bounded time: `<target> -max_total_time=60 corpus/`.
function(rh_fuzz_target)
  cmake_parse_arguments(RH "" "NAME" "SRCS;DEPS" ${ARGN})
  if(NOT RH_FUZZ)
    return()
  endif()
  add_executable(${RH_NAME} ${RH_SRCS})
  target_link_libraries(${RH_NAME} PRIVATE ${RH_DEPS})
  target_compile_options(${RH_NAME} PRIVATE -fsanitize=fuzzer,address,undefined)
  target_link_options(${RH_NAME} PRIVATE -fsanitize=fuzzer,address,undefined)
endfunction()
