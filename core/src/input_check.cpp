#include "requip/core/input_check.hpp"

#include <fmt/format.h>

namespace requip {

namespace {

// Offset of the first byte that breaks UTF-8 (overlongs, surrogates and code points past
// U+10FFFF included), or npos.
std::size_t first_invalid_utf8(std::string_view text) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t size = text.size();
  std::size_t i = 0;
  while (i < size) {
    const unsigned char lead = bytes[i];
    std::size_t length = 0;
    unsigned char low = 0x80, high = 0xBF;
    if (lead < 0x80) {
      ++i;
      continue;
    } else if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      if (lead == 0xE0) low = 0xA0;
      if (lead == 0xED) high = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      if (lead == 0xF0) low = 0x90;
      if (lead == 0xF4) high = 0x8F;
    } else {
      return i;
    }
    if (i + length > size) return i;
    if (bytes[i + 1] < low || bytes[i + 1] > high) return i;
    for (std::size_t k = 2; k < length; ++k) {
      if (bytes[i + k] < 0x80 || bytes[i + k] > 0xBF) return i;
    }
    i += length;
  }
  return std::string_view::npos;
}

}  // namespace

std::optional<std::string> check_input(std::string_view text, std::size_t max_bytes) {
  if (text.empty()) return "input is empty: type a message";
  if (text.size() > max_bytes) {
    return fmt::format("input is too long: {} bytes, the limit is {}; send a shorter message",
                       text.size(), max_bytes);
  }
  if (auto bad = first_invalid_utf8(text); bad != std::string_view::npos) {
    return fmt::format("input is not valid UTF-8 (byte 0x{:02x} at offset {}); send UTF-8 text",
                       static_cast<unsigned char>(text[bad]), bad);
  }
  return std::nullopt;
}

}  // namespace requip
