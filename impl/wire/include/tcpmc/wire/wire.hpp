// All of impl/wire: the IPv4 + TCP segment codec.
#pragma once

#include <tcpmc/wire/address.hpp>
#include <tcpmc/wire/checksum.hpp>
#include <tcpmc/wire/codec.hpp>
#include <tcpmc/wire/error.hpp>
#include <tcpmc/wire/expected.hpp>
#include <tcpmc/wire/options.hpp>
#include <tcpmc/wire/repr.hpp>
#include <tcpmc/wire/view.hpp>
