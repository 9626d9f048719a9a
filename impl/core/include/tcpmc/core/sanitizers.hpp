// Whether this build runs under AddressSanitizer: TCPMC_ASAN is defined if
// so. g++ says so with __SANITIZE_ADDRESS__, clang with __has_feature.
#pragma once

#if defined(__SANITIZE_ADDRESS__)
#define TCPMC_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TCPMC_ASAN 1
#endif
#endif
