//! Statistical disclosure control for the public regional tables.
//!
//! Every regional table we publish (signatures of a petition by region, signatures to all
//! petitions by region, a consultation's proposals by region) has a public total: the headline
//! count, which the law and the threshold need exact. Withholding only the small cells (1 to 4)
//! is then undone by subtraction: a national petition signed by 3 people, all from Ulytau,
//! shows 0 everywhere else and a total of 3, so Ulytau = 3.
//!
//! The rule here is *complementary suppression with an interval audit*, the standard method of
//! statistical offices for tables with published margins:
//!
//! 1. Primary suppression: a cell of 1 to 4 ([`SMALL_COUNT`] − 1) is withheld.
//! 2. Audit: an attacker knows the total, every shown cell, and that a cell shown as "fewer than
//!    5" holds 0 to 4 and a cell shown as "withheld" holds 5 or more. From that alone, every
//!    withheld cell must keep at least two possible values.
//! 3. Complements: while some withheld cell is pinned down, one more cell is withheld: the
//!    smallest (zeros first, so "fewer than 5" stays true of it), ties broken by a keyed hash of
//!    the table (the petition id) and the cell, so which zero is chosen neither follows the
//!    published order nor changes between requests or replicas. The "unspecified" cell is the
//!    last resort among equals, since readers may know it is nearly always empty.
//!
//! The choice is deterministic for a given table: asking again, or asking another replica,
//! shows the same pattern, so repeated requests cannot be intersected.

use sha2::{Digest, Sha256};
use tyndau_ids::Region;

use crate::model::{PublicCount, RegionCount, SMALL_COUNT};

/// The key of the cell for counts whose region is not one of ours.
const UNSPECIFIED: &str = "unspecified";

/// A regional table as published: every region in the published order, the rest, the total.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RegionalTable {
    pub regions: Vec<RegionCount>,
    pub unspecified: PublicCount,
    /// Exact: the law and the threshold need it (and it is the public headline anyway).
    pub total: i64,
}

/// Sums counts by region code (unknown codes go to "unspecified") and protects the table.
pub(crate) fn regional_table(table: &[u8], rows: impl IntoIterator<Item = (String, i64)>) -> RegionalTable {
    let mut exact: Vec<i64> = vec![0; Region::ALL.len()];
    let mut unspecified = 0;
    for (code, count) in rows {
        match Region::ALL.iter().position(|region| region.code() == code) {
            Some(index) => exact[index] += count,
            None => unspecified += count,
        }
    }
    let cells: Vec<Cell<'_>> = Region::ALL
        .iter()
        .zip(&exact)
        .map(|(region, &count)| Cell {
            key: region.code(),
            count,
            last_resort: false,
        })
        .chain(std::iter::once(Cell {
            key: UNSPECIFIED,
            count: unspecified,
            last_resort: true,
        }))
        .collect();
    let mut shown = protect(table, &cells);
    let unspecified_shown = shown.pop().unwrap_or_else(PublicCount::withheld);
    RegionalTable {
        regions: Region::ALL
            .iter()
            .zip(shown)
            .map(|(&region, count)| RegionCount { region, count })
            .collect(),
        unspecified: unspecified_shown,
        total: exact.iter().sum::<i64>() + unspecified,
    }
}

/// One cell of a table to publish.
#[derive(Clone, Copy, Debug)]
pub struct Cell<'a> {
    /// A stable name (a region code), keyed into the tie-break.
    pub key: &'a str,
    pub count: i64,
    /// Chosen as a complement only after every ordinary cell of the same size.
    pub last_resort: bool,
}

/// What may be published of `cells`, in the same order. `table` names the table (e.g. the
/// petition id) so that ties between equal cells break differently per table.
pub fn protect(table: &[u8], cells: &[Cell<'_>]) -> Vec<PublicCount> {
    let mut withheld: Vec<bool> = cells.iter().map(|c| is_small(c.count)).collect();
    if withheld.iter().any(|w| *w) {
        let mut candidates: Vec<usize> = (0..cells.len()).filter(|i| !withheld[*i]).collect();
        candidates.sort_by_cached_key(|&i| {
            let cell = &cells[i];
            (cell.count, cell.last_resort, tie_break(table, cell.key))
        });
        let mut candidates = candidates.into_iter();
        while !audit_holds(cells, &withheld) {
            let Some(next) = candidates.next() else { break };
            withheld[next] = true;
        }
    }
    cells
        .iter()
        .zip(withheld)
        .map(|(cell, withheld)| match (withheld, cell.count < SMALL_COUNT) {
            (false, _) => PublicCount::exact(cell.count),
            (true, true) => PublicCount::fewer_than_small(),
            (true, false) => PublicCount::withheld(),
        })
        .collect()
}

fn is_small(count: i64) -> bool {
    (1..SMALL_COUNT).contains(&count)
}

fn tie_break(table: &[u8], key: &str) -> [u8; 8] {
    let digest = Sha256::new()
        .chain_update((table.len() as u64).to_be_bytes())
        .chain_update(table)
        .chain_update(key.as_bytes())
        .finalize();
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    first
}

/// The bounds an attacker knows for a withheld cell from how it is shown.
fn public_bounds(count: i64) -> (i128, i128) {
    if count < SMALL_COUNT {
        (0, i128::from(SMALL_COUNT - 1))
    } else {
        (i128::from(SMALL_COUNT), i128::MAX / 4)
    }
}

/// True when no withheld cell can be narrowed to a single value from the total, the shown cells
/// and the public bounds (the feasible interval of each cell under the one linear constraint
/// "the withheld cells sum to the total minus the shown ones").
fn audit_holds(cells: &[Cell<'_>], withheld: &[bool]) -> bool {
    let hidden: Vec<(i128, (i128, i128))> = cells
        .iter()
        .zip(withheld)
        .filter(|(_, w)| **w)
        .map(|(c, _)| (i128::from(c.count), public_bounds(c.count)))
        .collect();
    if hidden.is_empty() {
        return true;
    }
    let sum: i128 = hidden.iter().map(|(v, _)| v).sum();
    let low_sum: i128 = hidden.iter().map(|(_, (lo, _))| lo).sum();
    let high_sum: i128 = hidden.iter().map(|(_, (_, hi))| hi).sum();
    hidden.iter().all(|(_, (lo, hi))| {
        let others_low = low_sum - lo;
        let others_high = high_sum - hi;
        let feasible_low = (*lo).max(sum - others_high);
        let feasible_high = (*hi).min(sum - others_low);
        feasible_high > feasible_low
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // Tests fail loudly by design.
mod tests {
    use proptest::prelude::*;

    use super::*;

    const KEYS: [&str; 21] = [
        "abai",
        "akmola",
        "aktobe",
        "almaty-region",
        "atyrau",
        "east-kazakhstan",
        "zhambyl",
        "zhetysu",
        "west-kazakhstan",
        "karaganda",
        "kostanay",
        "kyzylorda",
        "mangystau",
        "pavlodar",
        "north-kazakhstan",
        "turkestan",
        "ulytau",
        "astana",
        "almaty",
        "shymkent",
        "unspecified",
    ];

    fn table(counts: &[i64]) -> Vec<Cell<'static>> {
        counts
            .iter()
            .zip(KEYS)
            .map(|(&count, key)| Cell {
                key,
                count,
                last_resort: key == "unspecified",
            })
            .collect()
    }

    /// Every value each withheld cell could hold, by brute force over the public bounds (small
    /// tables only): what an attacker who knows the total can conclude.
    fn possible_values(shown: &[PublicCount], total: i64) -> Vec<Vec<i64>> {
        let shown_sum: i64 = shown.iter().filter_map(|c| c.signatures).sum();
        let hidden: Vec<usize> = (0..shown.len())
            .filter(|i| shown[*i].signatures.is_none())
            .collect();
        let rest = total - shown_sum;
        let bounds: Vec<(i64, i64)> = hidden
            .iter()
            .map(|i| match shown[*i].fewer_than {
                Some(limit) => (0, limit - 1),
                None => (SMALL_COUNT, rest.max(SMALL_COUNT)),
            })
            .collect();
        let mut possible = vec![Vec::new(); hidden.len()];
        let mut assignment = vec![0; hidden.len()];
        fn walk(
            at: usize,
            left: i64,
            bounds: &[(i64, i64)],
            assignment: &mut Vec<i64>,
            possible: &mut Vec<Vec<i64>>,
        ) {
            if at == bounds.len() {
                if left == 0 {
                    for (slot, value) in possible.iter_mut().zip(assignment.iter()) {
                        if !slot.contains(value) {
                            slot.push(*value);
                        }
                    }
                }
                return;
            }
            let (lo, hi) = bounds[at];
            for value in lo..=hi.min(left) {
                assignment[at] = value;
                walk(at + 1, left - value, bounds, assignment, possible);
            }
        }
        walk(0, rest, &bounds, &mut assignment, &mut possible);
        possible
    }

    #[test]
    fn nothing_is_withheld_without_small_cells() {
        let counts = [0, 10, 0, 7, 5, 0];
        let shown = protect(b"t", &table(&counts));
        assert!(shown.iter().zip(counts).all(|(c, n)| c.signatures == Some(n)));
    }

    #[test]
    fn three_signers_from_one_region_cannot_be_recovered_by_subtraction() {
        let mut counts = [0i64; 21];
        counts[16] = 3; // Ulytau
        let shown = protect(b"petition", &table(&counts));
        assert_eq!(shown[16], PublicCount::fewer_than_small());
        let withheld: Vec<usize> = (0..21).filter(|i| shown[*i].signatures.is_none()).collect();
        assert!(withheld.len() >= 2, "a complement is withheld too: {withheld:?}");
        assert!(!withheld.contains(&20), "unspecified is the last resort");
        let possible = possible_values(&shown, 3);
        assert!(possible.iter().all(|values| values.len() >= 2), "{possible:?}");
    }

    #[test]
    fn two_small_cells_that_pin_each_other_get_a_third() {
        // 4 + 4 = 8 could only be 4 and 4 under "fewer than 5".
        let mut counts = [10i64; 21];
        counts[20] = 0;
        counts[0] = 4;
        counts[1] = 4;
        counts[2] = 0;
        let shown = protect(b"p", &table(&counts));
        let total: i64 = counts.iter().sum();
        let possible = possible_values(&shown, total);
        assert!(possible.iter().all(|values| values.len() >= 2), "{possible:?}");
        assert_eq!(
            shown[2],
            PublicCount::fewer_than_small(),
            "the zero is the complement"
        );
    }

    #[test]
    fn without_zeros_the_smallest_large_cell_is_withheld_as_withheld() {
        // Every region signed; one small cell; the complement must be a large one.
        let mut counts: Vec<i64> = (0..20).map(|i| 20 + i).collect();
        counts.push(0); // unspecified: the last resort, but a zero comes before any large cell
        counts[5] = 2;
        let shown = protect(b"p", &table(&counts));
        assert_eq!(shown[20], PublicCount::fewer_than_small());
        let total: i64 = counts.iter().sum();
        assert!(possible_values(&shown, total).iter().all(|v| v.len() >= 2));

        let mut counts: Vec<i64> = (0..21).map(|i| 20 + i).collect();
        counts[5] = 2;
        let shown = protect(b"p", &table(&counts));
        assert_eq!(shown[0], PublicCount::withheld(), "20 is the smallest large cell");
        assert_eq!(shown.iter().filter(|c| c.signatures.is_none()).count(), 2);
    }

    #[test]
    fn the_pattern_is_stable_per_table_and_varies_between_tables() {
        let mut counts = [0i64; 21];
        counts[16] = 1;
        let pattern = |name: &str| -> Vec<bool> {
            protect(name.as_bytes(), &table(&counts))
                .iter()
                .map(|c| c.signatures.is_none())
                .collect()
        };
        assert_eq!(pattern("a"), pattern("a"));
        let distinct: std::collections::HashSet<Vec<bool>> =
            (0..20).map(|n| pattern(&format!("petition-{n}"))).collect();
        assert!(
            distinct.len() > 3,
            "complements follow the table, not the region order"
        );
    }

    proptest! {
        /// Whatever the table, no withheld cell is determined by the total and the shown cells.
        #[test]
        fn no_withheld_cell_can_be_derived(counts in proptest::collection::vec(
            prop_oneof![3 => Just(0i64), 3 => 1i64..5, 1 => 5i64..12], 6)
        ) {
            let cells: Vec<Cell<'_>> = counts.iter().zip(KEYS).map(|(&count, key)| Cell {
                key, count, last_resort: false,
            }).collect();
            let shown = protect(b"prop", &cells);
            let total: i64 = counts.iter().sum();
            for (c, n) in shown.iter().zip(&counts) {
                if let Some(value) = c.signatures {
                    prop_assert_eq!(value, *n);
                } else {
                    prop_assert!(c.fewer_than.is_none() || *n < SMALL_COUNT);
                }
                prop_assert!(c.signatures.is_none() || !is_small(*n));
            }
            let hidden = shown.iter().filter(|c| c.signatures.is_none()).count();
            // With every cell withheld there is nothing left to withhold: the total alone can
            // pin the cells (six cells of 4 and a total of 24). Publishing the total is the law.
            if hidden > 0 && hidden < shown.len() {
                let possible = possible_values(&shown, total);
                prop_assert!(possible.iter().all(|v| v.len() >= 2), "{:?} → {:?}", counts, possible);
            }
        }
    }
}
