# Included from impl/wire/CMakeLists.txt when TCPMC_TESTS is on, in every
# build (g++ too): each wire fuzz target is also built as a plain program
# that replays its committed regression corpus, fuzz/regressions/<target>/,
# with the same assertions the fuzzer checks. A crash that fuzzing found
# stays fixed once its input is in that folder.
foreach(target IN ITEMS fuzz_segment fuzz_options fuzz_checksum)
  add_executable(replay_${target}
    ${PROJECT_SOURCE_DIR}/fuzz/${target}.cpp
    ${PROJECT_SOURCE_DIR}/fuzz/replay_main.cpp)
  target_link_libraries(replay_${target} PRIVATE tcpmc::wire tcpmc::warnings)
  add_test(NAME fuzz_replay.${target}
           COMMAND replay_${target} ${PROJECT_SOURCE_DIR}/fuzz/regressions/${target})
  set_tests_properties(fuzz_replay.${target} PROPERTIES LABELS fuzz-replay)
endforeach()
