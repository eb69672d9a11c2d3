// The one header through which Liaison includes Asio and Beast.
//
// Boost 1.74's asio/awaitable.hpp uses std::exchange without including
// <utility>; with g++ 12 and -std=c++20 that fails, so <utility> comes first.
// Only src/http/*.cc and src/cli/hub_client.cc may include this file.
#pragma once

// clang-format off: <utility> must stay first.
#include <utility>
// clang-format on

#include <boost/asio.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/version.hpp>
