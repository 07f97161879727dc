#include "scenario/text.hpp"

#include <cstdint>
#include <cstdio>

namespace sellershock {

namespace {

std::string hex_byte(unsigned char byte) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "0x%02x", byte);
  return buffer;
}

std::string code_point_text(std::uint32_t code_point) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "U+%04X", static_cast<unsigned>(code_point));
  return buffer;
}

}  // namespace

std::optional<std::string> label_text_problem(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t start = i;
    const auto lead = static_cast<unsigned char>(text[i]);
    std::uint32_t code_point = 0;
    std::size_t length = 0;
    std::uint32_t smallest = 0;  // below it, the sequence is an overlong encoding
    if (lead < 0x80) {
      code_point = lead;
      length = 1;
    } else if ((lead & 0xE0) == 0xC0) {
      code_point = lead & 0x1Fu;
      length = 2;
      smallest = 0x80;
    } else if ((lead & 0xF0) == 0xE0) {
      code_point = lead & 0x0Fu;
      length = 3;
      smallest = 0x800;
    } else if ((lead & 0xF8) == 0xF0) {
      code_point = lead & 0x07u;
      length = 4;
      smallest = 0x10000;
    } else {
      return "is not valid UTF-8 (byte " + hex_byte(lead) + " at offset " + std::to_string(start) + ")";
    }
    for (std::size_t k = 1; k < length; ++k) {
      if (start + k >= text.size() || (static_cast<unsigned char>(text[start + k]) & 0xC0) != 0x80)
        return "is not valid UTF-8 (incomplete sequence at offset " + std::to_string(start) + ")";
      code_point = (code_point << 6) | (static_cast<unsigned char>(text[start + k]) & 0x3Fu);
    }
    if (code_point < smallest || code_point > 0x10FFFF || (code_point >= 0xD800 && code_point <= 0xDFFF))
      return "is not valid UTF-8 (invalid sequence at offset " + std::to_string(start) + ")";
    if (code_point < 0x20 || (code_point >= 0x7F && code_point <= 0x9F))
      return "contains the control character " + code_point_text(code_point) + " at offset " + std::to_string(start) +
             "; names and labels are printable text";
    i = start + length;
  }
  return std::nullopt;
}

}  // namespace sellershock
