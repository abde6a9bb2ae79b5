//! The building blocks of the prepared indexes ([`crate::domain::Network`], [`crate::domain::Refs`], the rules'
//! context): Fx hash maps sized up front, and lists per index stored flat.

use rustc_hash::{FxBuildHasher, FxHashMap};

/// An empty Fx hash map with room for `n` entries (`rustc-hash`: not DoS-resistant, which a plan the user loads does
/// not need, and several times faster than SipHash on short IDs). Sized up front, it never rehashes while built.
pub(crate) fn fx_map<K, V>(n: usize) -> FxHashMap<K, V> {
    FxHashMap::with_capacity_and_hasher(n, FxBuildHasher)
}

/// A list of items for each index `0..n`, stored flat (one vector of items, ordered by index, each list in the order
/// its items came): no allocation per list, which matters with a list per classic instance.
#[derive(Clone, Debug, Default)]
pub(crate) struct Lists<T> {
    /// List `i` is `items[starts[i]..starts[i + 1]]`.
    starts: Vec<usize>,
    items: Vec<T>,
}

impl<T> Lists<T> {
    /// `n` lists from `(index, item)` pairs (every index below `n`): a counting sort, stable.
    pub(crate) fn new(n: usize, pairs: impl IntoIterator<Item = (usize, T)>) -> Lists<T> {
        let pairs: Vec<(usize, T)> = pairs.into_iter().collect();
        let mut starts = vec![0; n + 1];
        for &(i, _) in &pairs {
            starts[i + 1] += 1;
        }
        for i in 1..=n {
            starts[i] += starts[i - 1];
        }
        let mut next = starts.clone();
        let mut slots: Vec<Option<T>> = std::iter::repeat_with(|| None).take(pairs.len()).collect();
        for (i, item) in pairs {
            slots[next[i]] = Some(item);
            next[i] += 1;
        }
        let items = slots.into_iter().map(|s| s.expect("every slot is filled once")).collect();
        Lists { starts, items }
    }
}

impl<T> std::ops::Index<usize> for Lists<T> {
    type Output = [T];

    fn index(&self, i: usize) -> &[T] {
        &self.items[self.starts[i]..self.starts[i + 1]]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use crate::browser_test as test;

    #[test]
    fn lists_keep_each_lists_items_in_order_and_empty_lists_empty() {
        let l = Lists::new(4, [(2, "a"), (0, "b"), (2, "c"), (0, "d"), (2, "e")]);
        assert_eq!(&l[0], ["b", "d"]);
        assert!(l[1].is_empty());
        assert_eq!(&l[2], ["a", "c", "e"]);
        assert!(l[3].is_empty());
        let none: Lists<u8> = Lists::new(1, []);
        assert!(none[0].is_empty());
    }
}
