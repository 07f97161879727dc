// The storage of the agents' columns: std::vector with an allocator that maps large columns on their
// own, aligned to 2 MiB, and can ask the kernel to back them with transparent huge pages (2 MiB)
// instead of 4 KiB pages.
//
// Whether to ask is a measured choice (docs/PERFORMANCE.md, "Huge pages" and the ninth session): with
// huge pages a random access misses the TLB less, but on the virtual machines this project is measured
// on, the first touch of a huge page can be far slower than that of ordinary pages (the hypervisor
// backs the 2 MiB page that the kernel clears; ordinary pages come first from memory it already
// backs). In the fifth session huge pages made a 40-week run 1.4x faster; in the ninth, on the same
// kind of machine, they made the whole benchmark slower (36.7-41.0 s against 33.9-36.3 s on 2
// threads, no less user time, 12.4-12.6 s of system time against 5.0). So columns and the purchase
// buckets' arenas (below) are on ordinary pages unless the environment says SELLERSHOCK_HUGE_PAGES=1.
// Where the kernel's transparent huge pages are off ("never"), or on for every mapping ("always"), the
// advice changes nothing; where they are on request ("madvise", Debian's default), it makes the request.
//
// Small columns (under one huge page) come from the ordinary heap. Large ones are mapped directly,
// aligned to 2 MiB and rounded up to whole huge pages, and unmapped when freed. Memory placement never
// changes a result.
#pragma once

#include <cstddef>
#include <new>
#include <unordered_map>
#include <vector>

namespace sellershock {

namespace detail {
inline constexpr std::size_t kHugePageBytes = std::size_t{2} << 20;
// `bytes` rounded up to a whole number of `unit`s.
constexpr std::size_t round_up(std::size_t bytes, std::size_t unit) noexcept { return (bytes + unit - 1) / unit * unit; }
// Maps `bytes` (a multiple of kHugePageBytes) aligned to kHugePageBytes, advised for huge pages when
// `advise` (callers pass huge_pages_on(): no mapping asks for huge pages behind the switch's back);
// throws std::bad_alloc when the mapping fails.
void* map_aligned(std::size_t bytes, bool advise);
// Whether the environment value `value` (of SELLERSHOCK_HUGE_PAGES; null when unset) asks for huge
// pages: only "1" does.
bool huge_pages_requested(const char* value) noexcept;
// The process's choice, read from the environment once: columns and arenas on huge pages or on
// ordinary pages.
bool huge_pages_on() noexcept;
void unmap_aligned(void* pointer, std::size_t bytes) noexcept;
}  // namespace detail

template <typename T>
class ColumnAllocator {
 public:
  using value_type = T;
  ColumnAllocator() noexcept = default;
  template <typename U>
  ColumnAllocator(const ColumnAllocator<U>&) noexcept {}

  T* allocate(std::size_t n) {
    if (n > static_cast<std::size_t>(-1) / sizeof(T)) throw std::bad_array_new_length();
    const std::size_t bytes = n * sizeof(T);
    if (bytes < detail::kHugePageBytes) return static_cast<T*>(::operator new(bytes, std::align_val_t{alignof(T)}));
    return static_cast<T*>(
        detail::map_aligned(detail::round_up(bytes, detail::kHugePageBytes), detail::huge_pages_on()));
  }
  void deallocate(T* pointer, std::size_t n) noexcept {
    const std::size_t bytes = n * sizeof(T);
    if (bytes < detail::kHugePageBytes)
      ::operator delete(pointer, bytes, std::align_val_t{alignof(T)});
    else
      detail::unmap_aligned(pointer, detail::round_up(bytes, detail::kHugePageBytes));
  }

  friend bool operator==(const ColumnAllocator&, const ColumnAllocator&) noexcept { return true; }
};

// Many small vectors that together are large and written at random, such as the purchase buckets
// (sim/process/demand.hpp: 1,200 of them a thread, 48 MB a week at full size), in chunks mapped as
// above (on huge pages when SELLERSHOCK_HUGE_PAGES=1), handed out in order. Memory given back is kept
// for the next request of the same size (a vector that doubles its capacity gives back sizes that
// another one asks for next) and returned to the system when the arena is destroyed. Not safe for
// concurrent use: one arena a thread.
class MappedArena {
 public:
  MappedArena() = default;
  MappedArena(const MappedArena&) = delete;
  MappedArena& operator=(const MappedArena&) = delete;
  ~MappedArena();

  void* allocate(std::size_t bytes);
  void deallocate(void* pointer, std::size_t bytes) noexcept;

 private:
  static constexpr std::size_t kChunkBytes = std::size_t{16} << 20;
  static constexpr std::size_t kAlignment = 64;  // a cache line
  struct Chunk {
    void* base;
    std::size_t bytes;
  };
  std::vector<Chunk> chunks_;
  char* next_ = nullptr;
  char* end_ = nullptr;
  // Given-back blocks by their size in bytes (rounded up to kAlignment).
  std::unordered_map<std::size_t, std::vector<void*>> free_;
};

template <typename T>
class ArenaAllocator {
 public:
  using value_type = T;
  explicit ArenaAllocator(MappedArena* arena) noexcept : arena_(arena) {}
  template <typename U>
  ArenaAllocator(const ArenaAllocator<U>& other) noexcept : arena_(other.arena()) {}

  T* allocate(std::size_t n) {
    if (n > static_cast<std::size_t>(-1) / sizeof(T)) throw std::bad_array_new_length();
    return static_cast<T*>(arena_->allocate(n * sizeof(T)));
  }
  void deallocate(T* pointer, std::size_t n) noexcept { arena_->deallocate(pointer, n * sizeof(T)); }
  MappedArena* arena() const noexcept { return arena_; }

  friend bool operator==(const ArenaAllocator& a, const ArenaAllocator& b) noexcept { return a.arena_ == b.arena_; }

 private:
  MappedArena* arena_;
};

// Asks the C library's allocator (glibc) to keep the memory it is given back instead of returning it to
// the system at once, and to serve requests under 32 MiB from its heap instead of fresh mappings: a
// run frees and allocates the same vectors every week (tally lists, alias-table scratch), and each
// page returned and asked for again is a page fault, costly on a virtual machine. The executable calls
// it once at start; elsewhere (tests, the Python module) the defaults stay. Changes no result.
void keep_freed_memory();

// One attribute of every agent of a table (sim/state/world.hpp).
template <typename T>
using Column = std::vector<T, ColumnAllocator<T>>;

}  // namespace sellershock
