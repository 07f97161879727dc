#include "scenario/input_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "scenario/error.hpp"

namespace sellershock {

namespace {

std::string file_type_name(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  return "not a regular file";
}

// Closes the descriptor on every path out.
struct FileDescriptor {
  int fd = -1;
  ~FileDescriptor() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

std::string read_input_file(const std::string& path, const std::string& noun, std::size_t max_bytes) {
  const SourceLocation where{path, 0, 0};
  auto fail = [&](const std::string& what) { throw InputError(where, "", format_input_error(where, "", what)); };
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer. The type is checked on
  // the descriptor itself, so the file cannot be swapped between the check and the read.
  FileDescriptor file{::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)};
  if (file.fd < 0) {
    if (errno == ENOENT) fail("no such file: the " + noun + " was not found");
    fail("cannot open the " + noun + ": " + std::strerror(errno));
  }
  struct stat status {};
  if (::fstat(file.fd, &status) != 0) fail("cannot examine the " + noun + ": " + std::strerror(errno));
  if (!S_ISREG(status.st_mode)) {
    if (S_ISDIR(status.st_mode)) fail("is a directory, expected a " + noun);
    fail("is " + file_type_name(status.st_mode) + ", expected a regular file (the " + noun + ")");
  }
  const std::string too_large = "the " + noun + " is larger than " + std::to_string(max_bytes / (1024 * 1024)) +
                                " MiB (" + std::to_string(max_bytes) +
                                " bytes), the limit for input files; real ones are a few kilobytes";
  if (static_cast<std::size_t>(status.st_size) > max_bytes) fail(too_large);

  // Read at most one byte past the limit, whatever the size said (the file may be growing).
  std::string text(max_bytes + 1, '\0');
  std::size_t filled = 0;
  while (filled < text.size()) {
    const ssize_t got = ::read(file.fd, text.data() + filled, text.size() - filled);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) fail("cannot read the " + noun + ": " + std::strerror(errno));
    if (got == 0) break;
    filled += static_cast<std::size_t>(got);
  }
  if (filled > max_bytes) fail(too_large);
  text.resize(filled);
  return text;
}

}  // namespace sellershock
