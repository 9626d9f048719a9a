# The asan preset builds every target (libraries, tests, tools) with
# AddressSanitizer and UndefinedBehaviorSanitizer; UB is fatal so that a
# report fails the test that caused it instead of scrolling past.
if(TCPMC_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
