//! Writers that gather what arrives together into one transaction: on
//! SQLite every commit waits for the disk, so sixty-four changes queued
//! behind one connection cost sixty-four flushes unless they share one.

use tokio::sync::mpsc;

/// `first` and whatever else is already waiting in `queue`, up to `max` in
/// all; never waits for more to arrive.
pub fn gather<T>(first: T, queue: &mut mpsc::Receiver<T>, max: usize) -> Vec<T> {
    let mut batch = vec![first];
    while batch.len() < max {
        match queue.try_recv() {
            Ok(item) => batch.push(item),
            Err(_) => break,
        }
    }
    batch
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn takes_what_waits_up_to_the_limit() {
        let (send, mut queue) = mpsc::channel(10);
        for n in 1..=5 {
            send.send(n).await.expect("room");
        }
        assert_eq!(gather(0, &mut queue, 3), vec![0, 1, 2]);
        assert_eq!(gather(9, &mut queue, 10), vec![9, 3, 4, 5]);
    }
}
