#include "state/column.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <numeric>
#include <sstream>
#include <string>

namespace sellershock {

namespace {

std::uintptr_t address(const void* pointer) { return reinterpret_cast<std::uintptr_t>(pointer); }

// The kernel's transparent huge page mode ("always", "madvise" or "never"), or "" where it has none.
std::string huge_page_mode() {
  std::ifstream file("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string line;
  std::getline(file, line);
  const auto open = line.find('['), close = line.find(']');
  return open == std::string::npos || close == std::string::npos ? "" : line.substr(open + 1, close - open - 1);
}

// The "THPeligible" line of /proc/self/smaps for the mapping that holds `pointer`: 1 when the kernel
// may back it with huge pages (with the "madvise" mode, only where they were asked for).
int huge_page_eligible(const void* pointer) {
  std::ifstream smaps("/proc/self/smaps");
  std::string line;
  bool inside = false;
  while (std::getline(smaps, line)) {
    std::uintptr_t begin = 0, end = 0;
    char dash = 0;
    std::istringstream header(line);
    if (header >> std::hex >> begin >> dash >> end && dash == '-' && line.find(':') > line.find(' ')) {
      inside = begin <= address(pointer) && address(pointer) < end;
      continue;
    }
    if (inside && line.rfind("THPeligible:", 0) == 0) return std::stoi(line.substr(12));
  }
  return -1;
}

}  // namespace

TEST(Column, ALargeColumnStartsOnAHugePageAndHoldsItsValues) {
  Column<std::int64_t> column(3'000'000, 7);  // 24 MB
  EXPECT_EQ(address(column.data()) % detail::kHugePageBytes, 0u);
  EXPECT_EQ(std::accumulate(column.begin(), column.end(), std::int64_t{0}), 21'000'000);
  column.resize(5'000'000, 1);  // reallocates: the values move to the new mapping
  EXPECT_EQ(column[2'999'999], 7);
  EXPECT_EQ(column[4'999'999], 1);
  const Column<std::int64_t> copy = column;  // the counterfactual copies the world's columns
  EXPECT_EQ(copy, column);
  EXPECT_NE(copy.data(), column.data());
}

TEST(Column, SmallColumnsComeFromTheHeap) {
  Column<std::uint8_t> small(1000, 3);
  Column<std::uint8_t> empty;
  EXPECT_EQ(small[999], 3);
  EXPECT_TRUE(empty.empty());
  small.clear();
  small.shrink_to_fit();
  EXPECT_TRUE(small.empty());
}

TEST(Column, ALargeColumnIsAdvisedForHugePagesOnlyWhenTheEnvironmentAsks) {
  if (huge_page_mode() != "madvise") GTEST_SKIP() << "transparent huge pages are '" << huge_page_mode() << "', not 'madvise'";
  const Column<std::int64_t> column(3'000'000, 1);
  EXPECT_EQ(huge_page_eligible(column.data()), detail::huge_pages_on() ? 1 : 0);
  // A mapping of the same kind with the advice is eligible, one without is not: the advice is the
  // allocator's doing, and only it.
  const std::size_t bytes = 4 * detail::kHugePageBytes;
  void* advised = detail::map_aligned(bytes, true);
  void* plain = detail::map_aligned(bytes, false);
  static_cast<char*>(advised)[0] = static_cast<char*>(plain)[0] = 1;
  EXPECT_EQ(huge_page_eligible(advised), 1);
  EXPECT_EQ(huge_page_eligible(plain), 0);
  detail::unmap_aligned(advised, bytes);
  detail::unmap_aligned(plain, bytes);
}

TEST(Column, OnlySellershockHugePagesEqualToOneAsksForHugePages) {
  EXPECT_TRUE(detail::huge_pages_requested("1"));
  EXPECT_FALSE(detail::huge_pages_requested(nullptr));
  EXPECT_FALSE(detail::huge_pages_requested(""));
  EXPECT_FALSE(detail::huge_pages_requested("0"));
  EXPECT_FALSE(detail::huge_pages_requested("yes"));
}

TEST(MappedArena, ItsChunksAreAdvisedForHugePagesOnlyWhenTheEnvironmentAsks) {
  if (huge_page_mode() != "madvise") GTEST_SKIP() << "transparent huge pages are '" << huge_page_mode() << "', not 'madvise'";
  MappedArena arena;
  char* block = static_cast<char*>(arena.allocate(1 << 20));
  block[0] = 1;
  EXPECT_EQ(huge_page_eligible(block), detail::huge_pages_on() ? 1 : 0);
}

TEST(MappedArena, GivesBackBlocksForTheNextRequestOfTheSameSize) {
  MappedArena arena;
  void* a = arena.allocate(24 * 64);
  void* b = arena.allocate(24 * 64);
  EXPECT_NE(a, b);
  EXPECT_EQ(address(a) % 64, 0u);
  EXPECT_EQ(address(b) % 64, 0u);
  arena.deallocate(a, 24 * 64);
  EXPECT_EQ(arena.allocate(24 * 64), a);  // the given-back block, not fresh memory
  EXPECT_NE(arena.allocate(24 * 64), a);
}

TEST(MappedArena, ServesGrowingVectorsBeyondOneChunk) {
  MappedArena arena;
  using Vector = std::vector<std::uint64_t, ArenaAllocator<std::uint64_t>>;
  std::vector<Vector> vectors(40, Vector(ArenaAllocator<std::uint64_t>(&arena)));
  // 40 vectors of 100,000 values (32 MB in all with their growth): more than one 16 MB chunk.
  for (std::uint64_t k = 0; k < 100'000; ++k)
    for (std::size_t v = 0; v < vectors.size(); ++v) vectors[v].push_back(k * vectors.size() + v);
  for (std::size_t v = 0; v < vectors.size(); ++v) {
    ASSERT_EQ(vectors[v].size(), 100'000u);
    EXPECT_EQ(vectors[v][12'345], 12'345 * vectors.size() + v);
    EXPECT_EQ(vectors[v].get_allocator().arena(), &arena);
  }
}

}  // namespace sellershock
