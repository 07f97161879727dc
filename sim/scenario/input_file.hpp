// Reading an input file the user names (a scenario, an `extends:` base, the calibration targets):
// only regular files, and only up to a size no real input comes near, so that a FIFO, a device such
// as /dev/zero or a huge file ends in a message instead of a hang or an exhausted memory.
#pragma once

#include <cstddef>
#include <string>

namespace sellershock {

// Far above any real scenario or targets table (a few kilobytes), far below what hurts the process.
inline constexpr std::size_t max_input_file_bytes = 16u * 1024u * 1024u;

// The whole content of the regular file at `path`. `noun` names the file in messages ("scenario
// file", "calibration targets file"). Never blocks on a FIFO and never reads more than max_bytes + 1.
// Throws InputError (at `path`) if the file is missing, a directory, not a regular file (FIFO,
// socket, device), unreadable, or larger than max_bytes.
std::string read_input_file(const std::string& path, const std::string& noun,
                            std::size_t max_bytes = max_input_file_bytes);

}  // namespace sellershock
