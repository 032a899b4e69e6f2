//! Work spread over threads, each taking the next job as it finishes one (jobs differ in cost:
//! files of a workspace, a bundle's policy modules, the 128 KiB pieces of its gzip; a fixed
//! split left one core idle while the other finished its half), with results in input order, so
//! what is computed on several threads is what one thread computes. The checks of `charter
//! check` ([`crate::db`]) and the targets that emit on `Options.threads` (`charter-codegen`)
//! use it.

use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicUsize, Ordering};

/// How many threads `threads` allows for `jobs` pieces of work: at least 1, at most 64, never
/// more than the jobs.
pub fn threads(threads: Option<NonZeroUsize>, jobs: usize) -> usize {
    threads
        .map_or(1, NonZeroUsize::get)
        .clamp(1, 64)
        .min(jobs.max(1))
}

/// Runs `work(state, i)` for every `i` in `0..jobs` on `threads` threads (at most 64, never more
/// than the jobs), each with its own `state` (made on the calling thread, then moved to the
/// worker: a database handle), each taking the next job as it finishes one. On one thread, or
/// for one job, it runs on the calling thread. A panic in `work` reaches the caller.
pub fn each<S: Send>(
    threads: usize,
    jobs: usize,
    mut state: impl FnMut() -> S,
    work: &(dyn Fn(&S, usize) + Sync),
) {
    let threads = threads.clamp(1, 64).min(jobs);
    if threads < 2 {
        let state = state();
        (0..jobs).for_each(|i| work(&state, i));
        return;
    }
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                let state = state();
                let next = &next;
                scope.spawn(move || {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= jobs {
                            break;
                        }
                        work(&state, i);
                    }
                })
            })
            .collect();
        for handle in handles {
            if let Err(payload) = handle.join() {
                std::panic::resume_unwind(payload);
            }
        }
    });
}

/// `items.iter().map(f).collect()`, computed on up to `threads` threads ([`each`]; `None` or 1
/// runs on the calling thread).
pub fn map<T, R, F>(items: &[T], threads: Option<NonZeroUsize>, f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync,
{
    map_with(
        items,
        self::threads(threads, items.len()),
        || (),
        |(), item| f(item),
    )
}

/// [`map`] with a `state` for each thread (made on the calling thread, as in [`each`]): `f(state,
/// item)` for every item, the results in input order, on up to `threads` threads.
pub fn map_with<S, T, R, F>(
    items: &[T],
    threads: usize,
    mut state: impl FnMut() -> S,
    f: F,
) -> Vec<R>
where
    S: Send,
    T: Sync,
    R: Send,
    F: Fn(&S, &T) -> R + Sync,
{
    if threads.min(items.len()) <= 1 {
        let state = state();
        return items.iter().map(|item| f(&state, item)).collect();
    }
    // A slot per item (a `Mutex`, which needs only `R: Send`, each locked once).
    let slots: Vec<std::sync::Mutex<Option<R>>> =
        items.iter().map(|_| std::sync::Mutex::new(None)).collect();
    each(threads, items.len(), &mut state, &|state, i| {
        if let (Some(item), Some(slot)) = (items.get(i), slots.get(i)) {
            let value = f(state, item);
            if let Ok(mut slot) = slot.lock() {
                *slot = Some(value);
            }
        }
    });
    // Every item was taken; a slot left empty is computed here rather than dropped.
    let mut last = None;
    items
        .iter()
        .zip(slots)
        .map(|(item, slot)| {
            slot.into_inner().ok().flatten().unwrap_or_else(|| {
                let state = last.get_or_insert_with(&mut state);
                f(state, item)
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_result_keeps_the_input_order_on_any_number_of_threads() {
        let items: Vec<u64> = (0..1000).collect();
        let one = map(&items, None, |x| x * 3 + 1);
        assert_eq!(one, items.iter().map(|x| x * 3 + 1).collect::<Vec<_>>());
        for n in [1, 2, 3, 7, 64, 1000, 5000] {
            assert_eq!(map(&items, NonZeroUsize::new(n), |x| x * 3 + 1), one, "{n}");
        }
        let none: Vec<u64> = Vec::new();
        assert!(map(&none, NonZeroUsize::new(4), |x| *x).is_empty());
    }

    /// A slow item does not hold back the items after it: the first waits until every other
    /// one is done, which only another thread taking them one by one can do (with the items
    /// split in halves, the first's own half would wait behind it).
    #[test]
    fn threads_take_the_next_item_as_they_finish_one() {
        let items: Vec<u32> = (0..8).collect();
        let done = std::sync::atomic::AtomicUsize::new(0);
        let waited = map(&items, NonZeroUsize::new(2), |x| {
            let mut others_done = true;
            if *x == 0 {
                let start = std::time::Instant::now();
                while done.load(std::sync::atomic::Ordering::SeqCst) < items.len() - 1 {
                    if start.elapsed() > std::time::Duration::from_secs(10) {
                        others_done = false;
                        break;
                    }
                    std::thread::sleep(std::time::Duration::from_millis(1));
                }
            }
            done.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            (std::thread::current().id(), others_done)
        });
        assert!(waited.iter().all(|(_, others_done)| *others_done));
        assert_ne!(waited.first().map(|w| w.0), waited.last().map(|w| w.0));
    }

    #[test]
    fn a_panic_reaches_the_caller() {
        let items: Vec<u32> = (0..8).collect();
        let result = std::panic::catch_unwind(|| {
            map(&items, NonZeroUsize::new(2), |x| {
                assert!(*x != 6, "six");
                *x
            })
        });
        assert!(result.is_err());
    }

    #[test]
    fn threads_are_bounded_by_the_jobs() {
        assert_eq!(threads(None, 10), 1);
        assert_eq!(threads(NonZeroUsize::new(8), 3), 3);
        assert_eq!(threads(NonZeroUsize::new(100), 1000), 64);
        assert_eq!(threads(NonZeroUsize::new(2), 0), 1);
    }
}
