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
