#include "scenario/input_file.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "scenario_test_support.hpp"

namespace sellershock {
namespace {

using testing::contains_all;
using testing::input_error_message;
using testing::ScratchDirectory;

TEST(InputFile, ReadsARegularFileWhole) {
  ScratchDirectory scratch;
  const std::string path = scratch.write("a.csv", std::string("id,x\n\0tail", 10));
  EXPECT_EQ(read_input_file(path, "table"), std::string("id,x\n\0tail", 10));
}

TEST(InputFile, RefusesWhatIsNotARegularFile) {
  ScratchDirectory scratch;
  const std::string fifo = (scratch.path() / "pipe").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_TRUE(contains_all(input_error_message([&] { read_input_file(fifo, "table"); }),
                           {"pipe: is a FIFO (named pipe), expected a regular file (the table)"}));
  EXPECT_TRUE(contains_all(input_error_message([] { read_input_file("/dev/zero", "table"); }),
                           {"/dev/zero: is a character device"}));
  EXPECT_TRUE(contains_all(input_error_message([&] { read_input_file(scratch.path().string(), "table"); }),
                           {"is a directory, expected a table"}));
  EXPECT_TRUE(contains_all(input_error_message([] { read_input_file("/no/such/file.csv", "table"); }),
                           {"/no/such/file.csv: no such file: the table was not found"}));
}

TEST(InputFile, RefusesAFileOverTheLimit) {
  ScratchDirectory scratch;
  const std::string path = scratch.write("big.csv", std::string(1025, 'x'));
  EXPECT_EQ(read_input_file(path, "table", 1025).size(), 1025u);
  EXPECT_TRUE(contains_all(input_error_message([&] { read_input_file(path, "table", 1024); }),
                           {"big.csv: the table is larger than 0 MiB (1024 bytes), the limit for input files"}));
}

}  // namespace
}  // namespace sellershock
