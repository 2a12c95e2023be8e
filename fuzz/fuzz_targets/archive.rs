//! Feeds arbitrary bytes to the chart archive reader, raw and wrapped in gzip, with small
//! limits; it must never panic, hang or allocate past the limits.

#![no_main]

use chart_core::load::{LoadLimits, read_archive_bytes, read_archive_with_root};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = LoadLimits::new(64 * 1024, 16 * 1024).with_max_entries(64).with_max_depth(8);
    // As given: mostly rejected at the gzip header, or a corrupt deflate stream.
    let _ = read_archive_bytes(data, &limits);
    // Wrapped in gzip, so that the bytes reach the tar reader and the path checks.
    let gz = gzip_stored(data);
    let a = read_archive_bytes(&gz, &limits);
    let b = read_archive_with_root(&gz[..], &limits);
    // The streaming and in-memory readers agree.
    match (a, b) {
        (Ok(files), Ok((_, files2))) => {
            assert_eq!(files, files2);
            let total: usize = files.iter().map(|f| f.data.len()).sum();
            assert!((total as u64) < limits.max_chart_size);
            for f in &files {
                assert!(!f.name.starts_with('/') && !f.name.starts_with(".."), "{:?}", f.name);
                assert!(!f.name.split('/').any(|c| c == ".." || c == "." || c.is_empty()));
            }
        }
        (Err(_), Err(_)) => {}
        (a, b) => panic!("readers disagree: {a:?} vs {b:?}"),
    }
});

/// Wraps `data` in a gzip stream of stored (uncompressed) deflate blocks.
fn gzip_stored(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x1F, 0x8B, 0x08, 0, 0, 0, 0, 0, 0, 0xFF];
    let mut chunks = data.chunks(0xFFFF).peekable();
    if chunks.peek().is_none() {
        out.extend_from_slice(&[1, 0, 0, 0xFF, 0xFF]);
    }
    while let Some(chunk) = chunks.next() {
        let last = chunks.peek().is_none();
        let len = chunk.len() as u16;
        out.push(u8::from(last));
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(chunk);
    }
    out.extend_from_slice(&crc32(data).to_le_bytes());
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = (crc >> 1) ^ (0xEDB8_8320 & (crc & 1).wrapping_neg());
        }
    }
    !crc
}
