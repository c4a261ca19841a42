#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace requip::serve {

// An error body in the shape OpenAI clients parse: {"error":{"message","type"}}.
std::string error_json(std::string_view message, std::string_view type = "invalid_request_error");

// Thrown while reading a request body; its message goes back to the client with a 400.
struct BadRequest : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace requip::serve
