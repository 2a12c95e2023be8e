//! glibc's malloc, tuned for a short-lived process that allocates on several threads.
//!
//! glibc gives each new thread its own arena, and grows an arena (other than the main one) by
//! exactly what the next allocation needs, one `mprotect` call at a time: a template render made
//! about 240 such calls, each taking the process's memory-map lock that the other threads'
//! page faults also need. It also returns freed memory at the top of a heap to the kernel, only
//! to fault it back in moments later, and serves every block of 128 KiB or more with its own
//! `mmap` and `munmap`.
//!
//! So, before any thread starts, the top pad is raised (an arena is extended 64 MiB at a time;
//! that is address space, not memory: a page costs memory only once it is written) and so is the
//! threshold for separate mappings. Measured on the corpus renders, this took about a third of
//! the kernel time out of a run; peak memory did not change.

/// Sets the parameters (glibc on Linux only; elsewhere the allocator is left as it is).
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
