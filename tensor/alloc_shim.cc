// The CPU allocator: a per-thread cache of small blocks in front of malloc.
//
// libtorch's default CPU allocator calls posix_memalign(64) for every tensor, and glibc serves an
// aligned request outside its per-thread cache (a search of the bins, a split, a free of the
// remainder, now and then a consolidation): for small tensors this was a fifth of the time of a
// chain of small ops. This allocator keeps freed blocks of up to 64 KiB in per-thread free lists by
// power-of-two size class (at most ATS_SLOTS blocks and 256 KiB per class per thread, returned to
// malloc when the thread exits) and hands larger requests to malloc directly. It is installed when
// the library loads, unless ATOMSEARCHER_TORCH_DEFAULT_ALLOCATOR is set to a non-empty value.
#include <c10/core/CPUAllocator.h>

#include <atomic>
#include <climits>
#include <cstdlib>
#include <new>

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "shim.h"

namespace {

constexpr int ATS_NCLASS = 11;  // 64 B << 0 .. 64 B << 10 = 64 KiB
constexpr int ATS_SLOTS = 64;
constexpr size_t ATS_HEADER = 64;  // keeps the data 64-byte aligned; holds the size class
constexpr size_t ATS_CLASS_BYTES = 256 << 10;

// Plain data, so it is never destroyed: a block freed during thread or process teardown (after
// the flusher ran) goes straight to free.
struct BlockCache {
  void *slots[ATS_NCLASS][ATS_SLOTS];
  int n[ATS_NCLASS];
  bool armed, dead;
};
thread_local BlockCache tl_cache;

struct Flusher {
  void arm() {}
  ~Flusher() {
    for (int c = 0; c < ATS_NCLASS; c++) {
      for (int i = 0; i < tl_cache.n[c]; i++) std::free(tl_cache.slots[c][i]);
      tl_cache.n[c] = 0;
    }
    tl_cache.dead = true;
  }
};
thread_local Flusher tl_flusher;

// size_class returns the smallest c with 64 << c >= n, or -1 above the largest class.
inline int size_class(size_t n) {
  if (n > (size_t(64) << (ATS_NCLASS - 1))) return -1;
  if (n <= 64) return 0;
  return 64 - __builtin_clzll(static_cast<unsigned long long>(n - 1)) - 6;
}

inline int class_slots(int c) {
  size_t bytes = (size_t(64) << c) + ATS_HEADER;
  size_t n = ATS_CLASS_BYTES / bytes;
  return n < ATS_SLOTS ? static_cast<int>(n) : ATS_SLOTS;
}

// Bytes held by live tensors through this allocator (requested sizes), and their high-water mark.
std::atomic<int64_t> live_bytes{0}, peak_bytes{0};

struct Header {
  int cls;
  int64_t bytes;
};

void release(void *data) {
  if (data == nullptr) return;
  char *base = static_cast<char *>(data) - ATS_HEADER;
  int c = reinterpret_cast<Header *>(base)->cls;
  live_bytes.fetch_sub(reinterpret_cast<Header *>(base)->bytes, std::memory_order_relaxed);
  BlockCache &tc = tl_cache;
  if (c >= 0 && !tc.dead && tc.n[c] < class_slots(c)) {
    if (!tc.armed) {
      tl_flusher.arm();  // constructs this thread's flusher, whose destructor empties the cache
      tc.armed = true;
    }
    tc.slots[c][tc.n[c]++] = base;
    return;
  }
  std::free(base);
}

struct CachingCPUAllocator final : c10::Allocator {
  c10::DataPtr allocate(size_t n) const override {
    int c = size_class(n);
    void *base = nullptr;
    BlockCache &tc = tl_cache;
    if (c >= 0 && tc.n[c] > 0) {
      base = tc.slots[c][--tc.n[c]];
    } else {
      size_t bytes = (c >= 0 ? (size_t(64) << c) : n) + ATS_HEADER;
      if (posix_memalign(&base, 64, bytes) != 0 || base == nullptr) throw std::bad_alloc();
      reinterpret_cast<Header *>(base)->cls = c;
    }
    reinterpret_cast<Header *>(base)->bytes = static_cast<int64_t>(n);
    int64_t now = live_bytes.fetch_add(static_cast<int64_t>(n), std::memory_order_relaxed) + n;
    int64_t peak = peak_bytes.load(std::memory_order_relaxed);
    while (now > peak && !peak_bytes.compare_exchange_weak(peak, now, std::memory_order_relaxed)) {
    }
    void *data = static_cast<char *>(base) + ATS_HEADER;
    return {data, data, &release, c10::Device(c10::DeviceType::CPU)};
  }
  c10::DeleterFnPtr raw_deleter() const override { return &release; }
};

CachingCPUAllocator ats_cpu_allocator;

// keep_large_blocks stops glibc from returning large freed blocks to the kernel. glibc serves a
// request above its mmap threshold (128 KiB, raised on the fly to at most 32 MiB) with a fresh
// mmap and unmaps it on free, so a training step that makes and frees the same large activations
// and gradients every step pays a page fault for every page of them every step: on the embedded
// default's SFT, half the process's CPU time was the kernel's. With the mmap threshold at 1 GiB
// and the trim threshold at 2 GiB (the largest mallopt takes), freed blocks stay in malloc's heap for the next step (as
// PyTorch's caching allocator keeps them on a GPU); the resident size then stays at its peak.
// On the shared 2-core machine, 40 SFT steps of the embedded default (with its setup) took 34-39 s
// instead of 60-70 s, the kernel's share 11-13 s instead of 21-36 s. The user's own settings win: nothing changes when MALLOC_MMAP_THRESHOLD_,
// MALLOC_TRIM_THRESHOLD_ or GLIBC_TUNABLES is set.
void keep_large_blocks() {
#ifdef __GLIBC__
  for (const char *name : {"MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "GLIBC_TUNABLES"}) {
    if (std::getenv(name) != nullptr) return;
  }
  mallopt(M_MMAP_THRESHOLD, 1 << 30);
  mallopt(M_TRIM_THRESHOLD, INT_MAX);
#endif
}

struct Installer {
  Installer() {
    const char *off = std::getenv("ATOMSEARCHER_TORCH_DEFAULT_ALLOCATOR");
    if (off != nullptr && off[0] != '\0') return;
    keep_large_blocks();
    c10::SetCPUAllocator(&ats_cpu_allocator, /*priority=*/10);
  }
} ats_allocator_installer;

}  // namespace

extern "C" int ats_cpu_memory(int64_t *live, int64_t *peak, int reset_peak) {
  *live = live_bytes.load(std::memory_order_relaxed);
  *peak = peak_bytes.load(std::memory_order_relaxed);
  if (reset_peak) peak_bytes.store(*live, std::memory_order_relaxed);
  return c10::GetCPUAllocator() == &ats_cpu_allocator ? 1 : 0;
}
