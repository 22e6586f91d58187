//! What the reducer keeps of each kind: bounded collections whose content
//! is a function of the set of facts pushed (not of their order), so that
//! chunks analysed in any order and merged give the same facts.

use std::cmp::{Ordering, Reverse};
use std::collections::{BTreeMap, BinaryHeap};

use super::LogFact;
use super::reduce::{KEEP_FACTS, KEEP_URLS, Key};

/// Keep the value with the larger key.
pub(super) fn newer<T>(slot: &mut Option<(Key, T)>, key: Key, make: impl FnOnce() -> T) {
    if slot.as_ref().is_none_or(|(k, _)| key > *k) {
        *slot = Some((key, make()));
    }
}

pub(super) fn merge_newer<T>(slot: &mut Option<(Key, T)>, other: Option<(Key, T)>) {
    if let Some((k, v)) = other {
        newer(slot, k, || v);
    }
}

pub(super) fn newer_owned<T>(slot: &mut (Key, T), key: Key, v: T) {
    if key > slot.0 {
        *slot = (key, v);
    }
}

struct Ranked<K, T> {
    key: K,
    item: T,
}

impl<K: Ord, T> PartialEq for Ranked<K, T> {
    fn eq(&self, o: &Self) -> bool {
        self.key == o.key
    }
}
impl<K: Ord, T> Eq for Ranked<K, T> {}
impl<K: Ord, T> PartialOrd for Ranked<K, T> {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl<K: Ord, T> Ord for Ranked<K, T> {
    fn cmp(&self, o: &Self) -> Ordering {
        self.key.cmp(&o.key)
    }
}

/// The `cap` items with the largest keys. Keys must be unique per item for
/// the result to be independent of insertion order.
pub(crate) struct TopN<K: Ord, T> {
    cap: usize,
    heap: BinaryHeap<Reverse<Ranked<K, T>>>,
}

impl<K: Ord, T> TopN<K, T> {
    pub(crate) fn new(cap: usize) -> Self {
        TopN {
            cap,
            heap: BinaryHeap::new(),
        }
    }

    /// Could an item be kept, judging by `beats_min` on the smallest kept
    /// key? Lets callers skip building a key that cannot make it.
    pub(crate) fn may_admit(&self, beats_min: impl FnOnce(&K) -> bool) -> bool {
        self.heap.len() < self.cap
            || self
                .heap
                .peek()
                .is_some_and(|Reverse(min)| beats_min(&min.key))
    }

    /// Would an item with this key be kept? Lets callers skip building it.
    pub(crate) fn admits(&self, key: &K) -> bool {
        self.heap.len() < self.cap || self.heap.peek().is_some_and(|Reverse(min)| *key > min.key)
    }

    pub(crate) fn push(&mut self, key: K, item: T) {
        if self.cap == 0 {
            return;
        }
        if self.heap.len() < self.cap {
            self.heap.push(Reverse(Ranked { key, item }));
        } else if self.admits(&key) {
            self.heap.pop();
            self.heap.push(Reverse(Ranked { key, item }));
        }
    }

    pub(crate) fn merge(&mut self, other: TopN<K, T>) {
        for Reverse(r) in other.heap {
            self.push(r.key, r.item);
        }
    }

    /// Oldest first.
    pub(crate) fn into_sorted(self) -> Vec<T> {
        let mut v: Vec<Ranked<K, T>> = self.heap.into_iter().map(|Reverse(r)| r).collect();
        v.sort_by(|a, b| a.key.cmp(&b.key));
        v.into_iter().map(|r| r.item).collect()
    }
}

/// The newest [`KEEP_FACTS`] facts of one kind, and how many there were.
pub(crate) struct Counted<T> {
    kept: TopN<Key, LogFact<T>>,
    count: u64,
}

impl<T> Counted<T> {
    pub(super) fn new() -> Self {
        Counted {
            kept: TopN::new(KEEP_FACTS),
            count: 0,
        }
    }

    /// Count a fact; `make` builds it only when it is among the newest.
    pub(super) fn push(&mut self, key: Key, make: impl FnOnce() -> LogFact<T>) {
        self.count += 1;
        if self.kept.admits(&key) {
            self.kept.push(key, make());
        }
    }

    pub(super) fn merge(&mut self, other: Counted<T>) {
        self.kept.merge(other.kept);
        self.count += other.count;
    }

    /// The kept facts, oldest first, and the count of all.
    pub(super) fn into_parts(self) -> (Vec<LogFact<T>>, u64) {
        (self.kept.into_sorted(), self.count)
    }
}

/// One distinct value: its newest sighting and where it was first seen.
pub(super) struct Seen<T> {
    pub newest: Key,
    pub fact: LogFact<T>,
    pub first: Key,
    pub first_line: u64,
}

/// Distinct values of one kind (by an ASCII-lower-case form), the newest
/// sighting of each; at most [`KEEP_URLS`], the least recently seen dropped.
pub(crate) struct Distinct<T> {
    seen: BTreeMap<String, Seen<T>>,
}

impl<T> Distinct<T> {
    pub(super) fn new() -> Self {
        Distinct {
            seen: BTreeMap::new(),
        }
    }

    pub(super) fn push(&mut self, norm: String, s: Seen<T>) {
        match self.seen.get_mut(&norm) {
            Some(have) => {
                if s.newest > have.newest {
                    have.newest = s.newest;
                    have.fact = s.fact;
                }
                if s.first < have.first {
                    have.first = s.first;
                    have.first_line = s.first_line;
                }
            }
            None => {
                self.seen.insert(norm, s);
                if self.seen.len() > KEEP_URLS
                    && let Some(oldest) = self
                        .seen
                        .iter()
                        .min_by_key(|(_, s)| s.newest)
                        .map(|(k, _)| k.clone())
                {
                    self.seen.remove(&oldest);
                }
            }
        }
    }

    pub(super) fn merge(&mut self, other: Distinct<T>) {
        for (norm, s) in other.seen {
            self.push(norm, s);
        }
    }

    /// Oldest (by newest sighting) first.
    pub(super) fn into_sorted(self) -> Vec<Seen<T>> {
        let mut v: Vec<Seen<T>> = self.seen.into_values().collect();
        v.sort_by_key(|s| s.newest);
        v
    }
}
