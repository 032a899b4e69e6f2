//! Work spread over the CLI's threads (`Options.threads`) with the result in input order, so a
//! target emitted on several threads gives the same bytes as on one.

use std::num::NonZeroUsize;

/// How many threads `options.threads` allows for `jobs` pieces of work: at least 1, at most 64,
/// never more than the jobs.
pub fn threads(threads: Option<NonZeroUsize>, jobs: usize) -> usize {
    threads
        .map_or(1, NonZeroUsize::get)
        .clamp(1, 64)
        .min(jobs.max(1))
}

/// `items.iter().map(f).collect()`, computed in contiguous chunks on up to `threads` threads
/// (1 runs on the calling thread). A panic in `f` reaches the caller, as on one thread.
pub fn map<T, R, F>(items: &[T], threads: Option<NonZeroUsize>, f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync,
{
    let threads = self::threads(threads, items.len());
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let size = items.len().div_ceil(threads);
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(size)
            .map(|chunk| scope.spawn(move || chunk.iter().map(f).collect::<Vec<R>>()))
            .collect();
        let mut all = Vec::with_capacity(items.len());
        for handle in handles {
            match handle.join() {
                Ok(part) => all.extend(part),
                Err(payload) => std::panic::resume_unwind(payload),
            }
        }
        all
    })
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

    #[test]
    fn the_work_runs_on_several_threads() {
        let items: Vec<u32> = (0..8).collect();
        let ids = map(&items, NonZeroUsize::new(2), |_| {
            std::thread::current().id()
        });
        assert_ne!(ids.first(), ids.last());
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
