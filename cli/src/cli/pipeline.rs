//! Work done on the CLI's threads and used in order: `charter build` emits its targets on
//! worker threads while the calling thread writes the files of the targets before them, so
//! writing overlaps emitting and independent targets are emitted at the same time. The results
//! are taken in the targets' order, so what is written, reported and attested is what a serial
//! build gives.

use std::ops::ControlFlow;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

/// Calls `use_it(item, work(item))` for each item in order, `work` running on up to `threads`
/// threads ahead of it. When `use_it` breaks, no further item is started, and the results of
/// those already started are dropped. A panic in `work` reaches the caller when its item's turn
/// comes, as in a serial loop.
pub fn ordered<T, R, W, U>(items: &[T], threads: usize, work: W, mut use_it: U)
where
    T: Sync,
    R: Send,
    W: Fn(&T) -> R + Sync,
    U: FnMut(&T, R) -> ControlFlow<()>,
{
    let threads = threads.clamp(1, 64).min(items.len());
    if threads <= 1 {
        for item in items {
            if use_it(item, work(item)).is_break() {
                return;
            }
        }
        return;
    }
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let slots: Mutex<Vec<Option<std::thread::Result<R>>>> =
        Mutex::new(items.iter().map(|_| None).collect());
    let ready = Condvar::new();
    let lock = || slots.lock().unwrap_or_else(PoisonError::into_inner);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                while !stop.load(Ordering::Relaxed) {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(i) else {
                        break;
                    };
                    let result = std::panic::catch_unwind(AssertUnwindSafe(|| work(item)));
                    if let Some(slot) = lock().get_mut(i) {
                        *slot = Some(result);
                    }
                    ready.notify_all();
                }
            });
        }
        for (i, item) in items.iter().enumerate() {
            let result = take(lock(), &ready, i);
            let flow = match result {
                Some(Ok(result)) => use_it(item, result),
                Some(Err(payload)) => {
                    stop.store(true, Ordering::Relaxed);
                    std::panic::resume_unwind(payload)
                }
                None => ControlFlow::Break(()),
            };
            if flow.is_break() {
                stop.store(true, Ordering::Relaxed);
                break;
            }
        }
    });
}

/// Waits for slot `i` and takes its result (`None` only if there is no such slot).
fn take<R>(
    mut slots: MutexGuard<'_, Vec<Option<std::thread::Result<R>>>>,
    ready: &Condvar,
    i: usize,
) -> Option<std::thread::Result<R>> {
    loop {
        match slots.get_mut(i) {
            None => return None,
            Some(slot) => {
                if let Some(result) = slot.take() {
                    return Some(result);
                }
            }
        }
        slots = ready.wait(slots).unwrap_or_else(PoisonError::into_inner);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_are_used_in_order_on_any_number_of_threads() {
        let items: Vec<u64> = (0..200).collect();
        for threads in [1, 2, 3, 8, 500] {
            let mut seen = Vec::new();
            ordered(
                &items,
                threads,
                |x| {
                    // Later items finish first.
                    std::thread::sleep(std::time::Duration::from_micros(200 - x));
                    x * 2
                },
                |x, doubled| {
                    seen.push((*x, doubled));
                    ControlFlow::Continue(())
                },
            );
            let expected: Vec<(u64, u64)> = items.iter().map(|x| (*x, x * 2)).collect();
            assert_eq!(seen, expected, "{threads}");
        }
    }

    #[test]
    fn a_break_stops_starting_new_work() {
        let items: Vec<u64> = (0..1000).collect();
        let started = AtomicUsize::new(0);
        let mut used = Vec::new();
        ordered(
            &items,
            2,
            |x| {
                started.fetch_add(1, Ordering::Relaxed);
                std::thread::sleep(std::time::Duration::from_millis(1));
                *x
            },
            |x, _| {
                used.push(*x);
                if *x == 3 {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                }
            },
        );
        assert_eq!(used, [0, 1, 2, 3]);
        assert!(started.load(Ordering::Relaxed) < 100);
    }

    #[test]
    fn a_panic_in_the_work_reaches_the_caller() {
        let items: Vec<u64> = (0..10).collect();
        let mut used = Vec::new();
        let result = std::panic::catch_unwind(AssertUnwindSafe(|| {
            ordered(
                &items,
                2,
                |x| {
                    assert!(*x != 5, "five");
                    *x
                },
                |x, _| {
                    used.push(*x);
                    ControlFlow::Continue(())
                },
            );
        }));
        assert!(result.is_err());
        assert_eq!(used, [0, 1, 2, 3, 4]);
    }

    #[test]
    fn no_items_no_calls() {
        let items: Vec<u64> = Vec::new();
        ordered(&items, 4, |x| *x, |_, _| unreachable!("no items"));
    }
}
