//! Incident references: what a person quotes when something broke on our
//! side, and what the log line carries so staff can find it.

use rand::Rng;

const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTVWXYZ";

pub fn new_reference() -> String {
    let mut rng = rand::rng();
    (0..8).map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())])).collect()
}
