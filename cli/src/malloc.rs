//! The process's allocator: glibc's malloc, tuned for a short-lived process that allocates on
//! several threads.
//!
//! # Parameters
//!
//! glibc gives each new thread its own arena, and grows an arena (other than the main one) by
//! exactly what the next allocation needs, one `mprotect` call at a time: a template render made
//! about 240 such calls, each taking the process's memory-map lock that the other threads'
//! page faults also need. It also returns freed memory at the top of a heap to the kernel, only
//! to fault it back in moments later, and serves every block of 128 KiB or more with its own
//! `mmap` and `munmap`.
//!
//! So, before any thread starts, [`tune`] raises the top pad (an arena is extended 64 MiB at a
//! time; that is address space, not memory: a page costs memory only once it is written) and
//! the threshold for separate mappings. Measured on the corpus renders, this took about a third
//! of the kernel time out of a run; peak memory did not change.
//!
//! # Huge pages for the threads that allocate most
//!
//! Even so, the first write to each fresh 4 KiB page of heap is a page fault, and on the
//! virtual machines this runs on one costs about 1.6 µs (the kernel allocates, zeroes and
//! accounts the page): a bitnami chart's render took about 700 of them, a fifth of its run
//! time. A transparent huge page costs about a quarter of that per byte, and glibc can ask for
//! them (`GLIBC_TUNABLES=glibc.malloc.hugetlb=1`), but only through the environment, read before
//! `main`, and then for every thread, though a 2 MiB page is a loss for a thread that writes only
//! a few pages.
//!
//! [`Allocator`] therefore counts the bytes each thread allocates. When a thread passes
//! [`HUGE_AFTER`], it asks the kernel (`madvise(MADV_HUGEPAGE)`, a hint that cannot change what
//! memory holds) to back the rest of that thread's heap with huge pages, and moves the heap's
//! top to the next 2 MiB boundary, since the 2 MiB block it has written in so far already has
//! small pages (the skipped part is address space that is never written). Thread heaps are
//! found as glibc lays them out: each is a 64 MiB-aligned mapping above the main heap. Over the
//! corpus renders this made whole runs 10% faster (geometric mean; the large charts 20-35%), for
//! 0.5-8 MB more peak memory.

/// Bytes a thread allocates before the rest of its heap is backed by huge pages. Measured over
/// the corpus: at 64 KiB the small charts got slower (their threads paid for a 2 MiB page they
/// hardly used: hello-world 1.2x the time); since the parser's memory shrank, 128 KiB does
/// 1-3% better than 256 KiB on medium charts (paired runs), and 1 MiB up to 6% worse.
pub const HUGE_AFTER: usize = 128 << 10;

/// Sets glibc's parameters (on Linux with glibc; elsewhere the allocator is left as it is).
/// Call it first thing in `main`, before any other thread starts.
pub fn tune() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    #[allow(unsafe_code)]
    // SAFETY: `mallopt` only changes glibc's malloc parameters, and this runs at the start of
    // `main`, before any other thread exists; a parameter that is refused stays at its default.
    unsafe {
        libc::mallopt(libc::M_TOP_PAD, 64 << 20);
        libc::mallopt(libc::M_MMAP_THRESHOLD, 32 << 20);
    }
}

/// The system allocator, with huge pages for the threads that allocate most (see the module
/// documentation). Installed with `#[global_allocator]` in `main.rs`.
pub struct Allocator;

#[cfg(all(target_os = "linux", target_env = "gnu", target_pointer_width = "64"))]
use huge::count;

/// Elsewhere nothing is counted.
#[cfg(not(all(target_os = "linux", target_env = "gnu", target_pointer_width = "64")))]
#[inline(always)]
fn count(_bytes: usize) {}

// SAFETY: every call is passed on unchanged to `System`, which upholds `GlobalAlloc`'s contract;
// `count` only adds to a thread-local counter and may make allocations of its own through glibc
// directly, which never reach this allocator again.
#[allow(unsafe_code)]
unsafe impl std::alloc::GlobalAlloc for Allocator {
    #[inline]
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        count(layout.size());
        // SAFETY: the caller's guarantees for `alloc` are passed on as they are.
        unsafe { std::alloc::System.alloc(layout) }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: std::alloc::Layout) -> *mut u8 {
        count(layout.size());
        // SAFETY: as for `alloc`.
        unsafe { std::alloc::System.alloc_zeroed(layout) }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: std::alloc::Layout) {
        // SAFETY: `ptr` came from `System` (through this allocator) with this layout.
        unsafe { std::alloc::System.dealloc(ptr, layout) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new: usize) -> *mut u8 {
        count(new.saturating_sub(layout.size()));
        // SAFETY: as for `dealloc`, and `new` is the caller's valid new size.
        unsafe { std::alloc::System.realloc(ptr, layout, new) }
    }
}

#[cfg(all(target_os = "linux", target_env = "gnu", target_pointer_width = "64"))]
mod huge {
    use super::HUGE_AFTER;

    std::thread_local! {
        /// Bytes this thread has allocated (and grown by `realloc`), freed ones included.
        static ALLOCATED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    }

    /// Counts `bytes` more for this thread; at the crossing of [`HUGE_AFTER`], advises huge
    /// pages.
    #[inline(always)]
    pub(super) fn count(bytes: usize) {
        // A const-initialised thread local without a destructor: reading it never allocates.
        let before = ALLOCATED.get();
        let after = before.saturating_add(bytes);
        ALLOCATED.set(after);
        if before < HUGE_AFTER && after >= HUGE_AFTER {
            advise();
        }
    }

    /// The size and alignment of a glibc thread heap on 64-bit systems (`HEAP_MAX_SIZE`).
    const THREAD_HEAP: usize = 64 << 20;
    /// A transparent huge page.
    const HUGE_PAGE: usize = 2 << 20;
    /// The block used to find the top of the heap: large enough to be served from the top
    /// rather than from a freed block, almost always. It is never written, so it costs address
    /// space only.
    const PROBE: usize = 64 << 10;

    /// Asks for huge pages for the rest of the calling thread's heap, from the next 2 MiB
    /// boundary on, and moves the heap's top there. Best effort: nothing it does changes what
    /// any allocation holds, and a failed call leaves small pages.
    #[cold]
    #[inline(never)]
    #[allow(unsafe_code)]
    fn advise() {
        // SAFETY: plain calls to glibc and the kernel. `malloc` is glibc's own (not the global
        // allocator); the probe and the spacer are deliberately never freed: they only hold the
        // heap's top above the boundary (freed, their untouched pages would be handed out
        // first, on small pages). `madvise(MADV_HUGEPAGE)` changes how future page faults in the
        // range are served, never the contents of memory.
        unsafe {
            let probe = std::hint::black_box(libc::malloc(PROBE)) as usize;
            if probe == 0 {
                return;
            }
            let boundary = (probe + PROBE).next_multiple_of(HUGE_PAGE);
            let brk = libc::sbrk(0) as usize;
            // The main arena lives below the program break; thread heaps are mapped above it.
            let in_main_heap = probe < brk;
            let heap_end =
                if in_main_heap { brk } else { (probe & !(THREAD_HEAP - 1)) + THREAD_HEAP };
            // Advise before the spacer, so that its end (where the top's header is written) is
            // already served by a huge page.
            if heap_end > boundary {
                libc::madvise(
                    boundary as *mut libc::c_void,
                    heap_end - boundary,
                    libc::MADV_HUGEPAGE,
                );
            }
            // The spacer: blocks below the mmap threshold, so that they come from the heap's
            // top whatever that threshold is. `black_box`: the compiler would otherwise drop a
            // `malloc` whose result is unused.
            let mut end = probe + PROBE;
            for _ in 0..64 {
                if boundary.saturating_sub(end) <= PROBE {
                    break;
                }
                let block = std::hint::black_box(libc::malloc(PROBE - 64)) as usize;
                if block == 0 {
                    break;
                }
                end = end.max(block + PROBE - 64);
            }
            if boundary > end + 256 {
                std::hint::black_box(libc::malloc(boundary - end - 64));
            }
            if in_main_heap {
                // The spacer may have moved the program break: the new part needs the advice too.
                let new_brk = libc::sbrk(0) as usize;
                let from = brk.max(boundary);
                if new_brk > from {
                    libc::madvise(from as *mut libc::c_void, new_brk - from, libc::MADV_HUGEPAGE);
                }
            }
        }
    }
}

#[cfg(all(test, target_os = "linux", target_env = "gnu", target_pointer_width = "64"))]
mod tests {
    use super::HUGE_AFTER;

    /// The `VmFlags` line of the mapping that holds `addr`, from `/proc/self/smaps`.
    fn vm_flags(addr: usize) -> String {
        let smaps = std::fs::read_to_string("/proc/self/smaps").expect("smaps");
        let mut inside = false;
        for line in smaps.lines() {
            if let Some((range, _)) = line.split_once(' ')
                && let Some((lo, hi)) = range.split_once('-')
                && let (Ok(lo), Ok(hi)) =
                    (usize::from_str_radix(lo, 16), usize::from_str_radix(hi, 16))
            {
                inside = (lo..hi).contains(&addr);
            } else if inside && let Some(flags) = line.strip_prefix("VmFlags:") {
                return flags.trim().to_string();
            }
        }
        panic!("no mapping holds {addr:#x}");
    }

    /// Allocates `total` bytes in 4 KiB blocks on a new thread (kept until the end), then one
    /// more block; returns that block's mapping flags.
    fn flags_after(total: usize) -> String {
        std::thread::spawn(move || {
            let kept: Vec<Vec<u8>> = (0..total / 4096).map(|_| vec![1u8; 4096]).collect();
            let block = vec![2u8; 4096];
            let flags = vm_flags(block.as_ptr() as usize);
            drop((kept, block));
            flags
        })
        .join()
        .expect("thread")
    }

    #[test]
    fn threads_that_allocate_much_get_huge_pages_and_others_do_not() {
        if !std::path::Path::new("/sys/kernel/mm/transparent_hugepage").exists() {
            eprintln!("skipped: this kernel has no transparent huge pages");
            return;
        }
        let big = flags_after(HUGE_AFTER + (64 << 10));
        assert!(big.split(' ').any(|f| f == "hg"), "after {HUGE_AFTER} bytes: {big}");
        let small = flags_after(HUGE_AFTER / 4);
        assert!(!small.split(' ').any(|f| f == "hg"), "a small thread: {small}");
    }
}
