# Every target of the project compiles with the same strict warnings, as
# errors, under g++ and clang alike.
add_library(tcpmc_warnings INTERFACE)
target_compile_options(tcpmc_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Werror
  -Wshadow -Wconversion -Wsign-conversion -Wold-style-cast
  -Wnon-virtual-dtor -Woverloaded-virtual -Wimplicit-fallthrough)
add_library(tcpmc::warnings ALIAS tcpmc_warnings)
