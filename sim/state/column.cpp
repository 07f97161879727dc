#include "state/column.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <sys/mman.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace sellershock::detail {

void* map_aligned(std::size_t bytes, bool advise) {
  // Map one huge page more than asked, then give back what lies before the first 2 MiB boundary and
  // after the end, so that the column starts on a huge page and every one of its huge pages is whole.
  const std::size_t mapped = bytes + kHugePageBytes;
  void* base = ::mmap(nullptr, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (base == MAP_FAILED) throw std::bad_alloc();
  const auto start = reinterpret_cast<std::uintptr_t>(base);
  const std::uintptr_t aligned = (start + kHugePageBytes - 1) & ~(std::uintptr_t{kHugePageBytes} - 1);
  const std::size_t before = aligned - start, after = mapped - before - bytes;
  if (before > 0) ::munmap(base, before);
  if (after > 0) ::munmap(reinterpret_cast<void*>(aligned + bytes), after);
  void* column = reinterpret_cast<void*>(aligned);
#ifdef MADV_HUGEPAGE
  // Advice only: where the kernel has no transparent huge pages, the column has ordinary pages.
  if (advise) ::madvise(column, bytes, MADV_HUGEPAGE);
#else
  (void)advise;
#endif
  return column;
}

bool huge_pages_requested(const char* value) noexcept { return value != nullptr && std::string_view(value) == "1"; }

bool huge_pages_on() noexcept {
  static const bool requested = huge_pages_requested(std::getenv("SELLERSHOCK_HUGE_PAGES"));
  return requested;
}

void unmap_aligned(void* pointer, std::size_t bytes) noexcept { ::munmap(pointer, bytes); }

}  // namespace sellershock::detail

namespace sellershock {

MappedArena::~MappedArena() {
  for (const Chunk& chunk : chunks_) detail::unmap_aligned(chunk.base, chunk.bytes);
}

void* MappedArena::allocate(std::size_t bytes) {
  const std::size_t rounded = detail::round_up(std::max<std::size_t>(bytes, 1), kAlignment);
  if (const auto given_back = free_.find(rounded); given_back != free_.end() && !given_back->second.empty()) {
    void* block = given_back->second.back();
    given_back->second.pop_back();
    return block;
  }
  if (next_ == nullptr || static_cast<std::size_t>(end_ - next_) < rounded) {
    const std::size_t chunk_bytes = std::max(kChunkBytes, detail::round_up(rounded, detail::kHugePageBytes));
    chunks_.reserve(chunks_.size() + 1);  // so that the push below cannot throw after the mapping
    void* base = detail::map_aligned(chunk_bytes, detail::huge_pages_on());
    chunks_.push_back({base, chunk_bytes});
    next_ = static_cast<char*>(base);
    end_ = next_ + chunk_bytes;
  }
  void* block = next_;
  next_ += rounded;
  return block;
}

void MappedArena::deallocate(void* pointer, std::size_t bytes) noexcept {
  if (pointer == nullptr) return;
  const std::size_t rounded = detail::round_up(std::max<std::size_t>(bytes, 1), kAlignment);
  try {
    free_[rounded].push_back(pointer);
  } catch (...) {
    // Out of memory for the free list: the block stays unused until the arena's end.
  }
}

void keep_freed_memory() {
#if defined(__GLIBC__)
  mallopt(M_MMAP_THRESHOLD, 32 << 20);  // glibc's largest; a fixed threshold also stops it from moving
  mallopt(M_TRIM_THRESHOLD, 512 << 20);
  mallopt(M_TOP_PAD, 16 << 20);
#endif
}

}  // namespace sellershock
