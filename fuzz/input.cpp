// What every turn does to a user's text first: the input check, then the router's
// normalisation and classification (trigger word, feedback words).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "requip/core/input_check.hpp"
#include "requip/router/message.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const requip::router::MessageClassifier classifier;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (requip::check_input(text, 4096)) return 0;
  classifier.classify(text);
  return 0;
}
