//! Global Privacy Control: the W3C signal a browser sends to say its user
//! does not want their information sold or shared.

/// The request header carrying the signal.
pub const HEADER: &str = "sec-gpc";

/// Only the exact value `1` is a signal; anything else, or no header, is not.
pub fn is_signal(header_value: Option<&[u8]>) -> bool {
    header_value == Some(b"1")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_exact_value_one_counts() {
        assert!(is_signal(Some(b"1")));
        for other in [&b"0"[..], b" 1", b"true", b"11", b""] {
            assert!(!is_signal(Some(other)), "{other:?}");
        }
        assert!(!is_signal(None));
    }
}
