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
///
/// Built in two passes over the pairs (count, then place), so that nothing but the two vectors is allocated: at
/// Tencent's largest scale these lists are among the biggest things a check builds, and every byte written is a
/// cache line evicted.
#[derive(Clone, Debug, Default)]
pub(crate) struct Lists<T> {
    /// List `i` is `items[starts[i]..starts[i + 1]]`.
    starts: Vec<u32>,
    items: Vec<T>,
}

impl<T: Copy> Lists<T> {
    /// `n` lists from `(index, item)` pairs (every index below `n`): a counting sort, stable. The pairs are walked
    /// twice.
    pub(crate) fn new<I>(n: usize, pairs: I) -> Lists<T>
    where
        I: IntoIterator<Item = (usize, T)>,
        I::IntoIter: Clone,
    {
        let pairs = pairs.into_iter();
        // starts[i + 2] counts list i, so that after the sums starts[i + 1] is where list i begins; placing an item
        // then moves starts[i + 1] on, to where list i ends, which is where list i + 1 begins.
        let mut starts = vec![0u32; n + 2];
        let mut first = None;
        for (i, item) in pairs.clone() {
            starts[i + 2] += 1;
            first.get_or_insert(item);
        }
        for i in 2..starts.len() {
            starts[i] += starts[i - 1];
        }
        let Some(first) = first else {
            starts.truncate(n + 1);
            return Lists { starts, items: Vec::new() };
        };
        let mut items = vec![first; starts[n + 1] as usize];
        for (i, item) in pairs {
            items[starts[i + 1] as usize] = item;
            starts[i + 1] += 1;
        }
        starts.truncate(n + 1);
        Lists { starts, items }
    }
}

impl<T> std::ops::Index<usize> for Lists<T> {
    type Output = [T];

    fn index(&self, i: usize) -> &[T] {
        &self.items[self.starts[i] as usize..self.starts[i + 1] as usize]
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
        let zero: Lists<u8> = Lists::new(0, []);
        assert_eq!(zero.starts, [0]);
    }

    #[test]
    fn lists_equal_a_vector_per_index_for_many_shapes() {
        // Pseudo-random pairs (a linear congruential sequence), checked against one vector per index.
        let mut x: u64 = 7;
        for (n, len) in [(1, 0), (1, 5), (3, 1), (5, 40), (64, 200), (200, 64), (1000, 3000)] {
            let pairs: Vec<(usize, u32)> = (0..len)
                .map(|k| {
                    x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    ((x >> 33) as usize % n, k)
                })
                .collect();
            let mut want: Vec<Vec<u32>> = vec![Vec::new(); n];
            for &(i, item) in &pairs {
                want[i].push(item);
            }
            let got = Lists::new(n, pairs.iter().copied());
            for (i, w) in want.iter().enumerate() {
                assert_eq!(&got[i], w.as_slice(), "list {i} of {n} ({len} pairs)");
            }
        }
    }
}
