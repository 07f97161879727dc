// Checks on free text that goes into the output (names, labels, region names): it must be valid
// UTF-8 without control characters, so that the HDF5 file's UTF-8 labels are what they claim and
// the stored scenario reloads to the one that ran.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sellershock {

// What is wrong with `text` as a name or label ("is not valid UTF-8 (byte 0xff at offset 3)",
// "contains the control character U+0000 at offset 2"), or nullopt if nothing is. Control
// characters: U+0000..U+001F (NUL, tab, newline...), U+007F and U+0080..U+009F.
std::optional<std::string> label_text_problem(std::string_view text);

}  // namespace sellershock
