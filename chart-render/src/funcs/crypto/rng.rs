//! The template's random source, seen by the RustCrypto crates as a `rand_core` generator.

use rand_core::{CryptoRng, RngCore};

use crate::funcs::RandomSource;

/// Adapts [`RandomSource`] (the `Env`'s injectable source) to `rand_core` 0.6, so key generation
/// draws from the same source as every other random function and tests are deterministic.
pub(crate) struct EnvRng<'a, 'b>(pub &'a mut (dyn RandomSource + 'b));

impl RngCore for EnvRng<'_, '_> {
    fn next_u32(&mut self) -> u32 {
        let mut b = [0u8; 4];
        self.0.fill(&mut b);
        u32::from_le_bytes(b)
    }

    fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }

    fn fill_bytes(&mut self, dest: &mut [u8]) {
        self.0.fill(dest);
    }

    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
        self.0.fill(dest);
        Ok(())
    }
}

/// The source is the operating system's (or a test's seeded one); it is what Go's
/// `crypto/rand.Reader` is to sprig.
impl CryptoRng for EnvRng<'_, '_> {}

/// A SHA-256 counter-mode stream seeded from the template's random source: a `Send` generator
/// for work moved to another thread (the second prime of an RSA key), still deterministic under
/// a seeded source.
pub(crate) struct HashDrbg {
    seed: [u8; 32],
    counter: u64,
    buf: [u8; 32],
    used: usize,
}

impl HashDrbg {
    /// A stream seeded with 32 bytes drawn from `random`.
    pub(crate) fn from_source(random: &mut dyn RandomSource) -> HashDrbg {
        let mut seed = [0u8; 32];
        random.fill(&mut seed);
        HashDrbg { seed, counter: 0, buf: [0; 32], used: 32 }
    }

    fn refill(&mut self) {
        use sha2::Digest;
        let mut h = sha2::Sha256::new();
        h.update(self.seed);
        h.update(self.counter.to_le_bytes());
        self.counter += 1;
        self.buf.copy_from_slice(&h.finalize());
        self.used = 0;
    }
}

impl RngCore for HashDrbg {
    fn next_u32(&mut self) -> u32 {
        let mut b = [0u8; 4];
        self.fill_bytes(&mut b);
        u32::from_le_bytes(b)
    }

    fn next_u64(&mut self) -> u64 {
        let mut b = [0u8; 8];
        self.fill_bytes(&mut b);
        u64::from_le_bytes(b)
    }

    fn fill_bytes(&mut self, dest: &mut [u8]) {
        for d in dest.iter_mut() {
            if self.used == self.buf.len() {
                self.refill();
            }
            *d = self.buf[self.used];
            self.used += 1;
        }
    }

    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
        self.fill_bytes(dest);
        Ok(())
    }
}

impl CryptoRng for HashDrbg {}

/// A uniform integer in `[0, n)` (`n > 0`), without modulo bias.
pub(crate) fn below(random: &mut dyn RandomSource, n: u64) -> u64 {
    let zone = u64::MAX - (u64::MAX % n);
    loop {
        let v = random.next_u64();
        if v < zone {
            return v % n;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::funcs::SeededRandom;

    #[test]
    fn draws_from_the_env_source() {
        let mut a = SeededRandom(7);
        let mut b = SeededRandom(7);
        let mut buf = [0u8; 8];
        EnvRng(&mut a).fill_bytes(&mut buf);
        let mut expect = [0u8; 8];
        b.fill(&mut expect);
        assert_eq!(buf, expect);
        let mut r = SeededRandom(3);
        assert!((0..100).all(|_| below(&mut r, 7) < 7));
    }
}
