//! Maven version ordering, as Maven's `ComparableVersion` defines it (the order OSV's Maven ranges use).
//!
//! A version is a list of items: numbers, qualifiers and sub-lists. `.` separates items, `-` and every
//! switch between digits and letters start a sub-list. Trailing "null" items (`0`, an empty or release
//! qualifier, an empty list) are dropped, so `1` = `1.0` = `1.0.0` = `1-ga`. Qualifiers order
//! `alpha < beta < milestone < rc = cr < snapshot < "" = ga = final = release < sp`, then unknown qualifiers
//! alphabetically; a single `a`, `b` or `m` directly followed by a digit means alpha, beta, milestone. A
//! number sorts after any qualifier and any list; a list sorts after a qualifier.

use std::cmp::Ordering;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Item {
    /// Digits without leading zeros (`"0"` for zero), so that any length compares exactly.
    Number(String),
    /// The qualifier's sort key: its rank among the known ones, or `7-name` for an unknown one.
    Qualifier(String),
    List(Vec<Item>),
}

/// The known qualifiers, in order; the release ("") sits between `snapshot` and `sp`.
const QUALIFIERS: [&str; 7] = ["alpha", "beta", "milestone", "rc", "snapshot", "", "sp"];

/// A parsed Maven version.
#[derive(Debug, Clone)]
pub struct MavenVersion {
    items: Vec<Item>,
}

impl MavenVersion {
    /// Every string is a Maven version (Maven orders anything); `None` only for an empty one.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim().to_ascii_lowercase();
        if text.is_empty() {
            return None;
        }
        Some(Self {
            items: parse_items(&text),
        })
    }

    /// Has a qualifier before the release (`alpha`, `beta`, `milestone`, `rc`, `snapshot`) anywhere.
    pub fn is_prerelease(&self) -> bool {
        fn any(items: &[Item]) -> bool {
            let release = qualifier_key("");
            items.iter().any(|item| match item {
                Item::Qualifier(key) => key.len() == 1 && key.as_str() < release.as_str(),
                Item::List(list) => any(list),
                Item::Number(_) => false,
            })
        }
        any(&self.items)
    }
}

impl PartialEq for MavenVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for MavenVersion {}

impl PartialOrd for MavenVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for MavenVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        compare_lists(&self.items, &other.items)
    }
}

fn parse_items(text: &str) -> Vec<Item> {
    // The lists under construction: the root first, each `-` or digit/letter switch opens a nested one.
    let mut stack: Vec<Vec<Item>> = vec![Vec::new()];
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut in_digits = false;
    for (i, &byte) in bytes.iter().enumerate() {
        let token = &text[start..i];
        match byte {
            b'.' | b'-' => {
                let item = if token.is_empty() {
                    Item::Number("0".into())
                } else {
                    item(token, in_digits, false)
                };
                push(&mut stack, item);
                start = i + 1;
                if byte == b'-' {
                    stack.push(Vec::new());
                }
            }
            b'0'..=b'9' => {
                if !in_digits && !token.is_empty() {
                    push(&mut stack, item(token, false, true));
                    start = i;
                    stack.push(Vec::new());
                }
                in_digits = true;
            }
            _ => {
                if in_digits && !token.is_empty() {
                    push(&mut stack, item(token, true, false));
                    start = i;
                    stack.push(Vec::new());
                }
                in_digits = false;
            }
        }
    }
    if start < text.len() {
        push(&mut stack, item(&text[start..], in_digits, false));
    }
    // Close the nested lists innermost first, normalising each.
    while stack.len() > 1 {
        let mut list = stack.pop().unwrap_or_default();
        normalize(&mut list);
        push(&mut stack, Item::List(list));
    }
    let mut root = stack.pop().unwrap_or_default();
    normalize(&mut root);
    root
}

fn push(stack: &mut [Vec<Item>], item: Item) {
    if let Some(list) = stack.last_mut() {
        list.push(item);
    }
}

fn item(token: &str, digits: bool, followed_by_digit: bool) -> Item {
    if digits {
        let trimmed = token.trim_start_matches('0');
        return Item::Number(if trimmed.is_empty() { "0" } else { trimmed }.to_owned());
    }
    let name = match token {
        "a" if followed_by_digit => "alpha",
        "b" if followed_by_digit => "beta",
        "m" if followed_by_digit => "milestone",
        "ga" | "final" | "release" => "",
        "cr" => "rc",
        other => other,
    };
    Item::Qualifier(qualifier_key(name))
}

fn qualifier_key(name: &str) -> String {
    match QUALIFIERS.iter().position(|q| *q == name) {
        Some(rank) => rank.to_string(),
        None => format!("{}-{name}", QUALIFIERS.len()),
    }
}

fn is_null(item: &Item) -> bool {
    match item {
        Item::Number(n) => n == "0",
        Item::Qualifier(key) => *key == qualifier_key(""),
        Item::List(items) => items.is_empty(),
    }
}

/// Drops trailing null items, looking through trailing lists (`1.0-0` is `1`).
fn normalize(list: &mut Vec<Item>) {
    let mut i = list.len();
    while i > 0 {
        i -= 1;
        if is_null(&list[i]) {
            list.remove(i);
        } else if !matches!(list[i], Item::List(_)) {
            break;
        }
    }
}

fn compare_numbers(a: &str, b: &str) -> Ordering {
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// `item` against a missing item (the other list ran out).
fn compare_to_nothing(item: &Item) -> Ordering {
    match item {
        Item::Number(n) => {
            if n == "0" {
                Ordering::Equal
            } else {
                Ordering::Greater
            }
        }
        Item::Qualifier(key) => key.as_str().cmp(qualifier_key("").as_str()),
        Item::List(items) => items
            .iter()
            .map(compare_to_nothing)
            .find(|o| o.is_ne())
            .unwrap_or(Ordering::Equal),
    }
}

fn compare_items(a: &Item, b: &Item) -> Ordering {
    match (a, b) {
        (Item::Number(x), Item::Number(y)) => compare_numbers(x, y),
        (Item::Qualifier(x), Item::Qualifier(y)) => x.cmp(y),
        (Item::List(x), Item::List(y)) => compare_lists(x, y),
        (Item::Number(_), _) => Ordering::Greater,
        (_, Item::Number(_)) => Ordering::Less,
        (Item::List(_), Item::Qualifier(_)) => Ordering::Greater,
        (Item::Qualifier(_), Item::List(_)) => Ordering::Less,
    }
}

fn compare_lists(a: &[Item], b: &[Item]) -> Ordering {
    for i in 0..a.len().max(b.len()) {
        let order = match (a.get(i), b.get(i)) {
            (Some(x), Some(y)) => compare_items(x, y),
            (Some(x), None) => compare_to_nothing(x),
            (None, Some(y)) => compare_to_nothing(y).reverse(),
            (None, None) => Ordering::Equal,
        };
        if order.is_ne() {
            return order;
        }
    }
    Ordering::Equal
}

#[cfg(test)]
mod tests {
    use super::MavenVersion;

    fn v(text: &str) -> MavenVersion {
        MavenVersion::parse(text).unwrap()
    }

    /// Each list is in strictly increasing order (the sequences of Maven's own ComparableVersion tests).
    fn assert_increasing(versions: &[&str]) {
        for (i, low) in versions.iter().enumerate() {
            for high in &versions[i + 1..] {
                assert!(v(low) < v(high), "{low} < {high}");
                assert!(v(high) > v(low), "{high} > {low}");
            }
        }
    }

    #[test]
    fn qualifier_order() {
        assert_increasing(&[
            "1-alpha2snapshot",
            "1-alpha2",
            "1-alpha-123",
            "1-beta-2",
            "1-beta123",
            "1-m2",
            "1-m11",
            "1-rc",
            "1-cr2",
            "1-rc123",
            "1-SNAPSHOT",
            "1",
            "1-sp",
            "1-sp2",
            "1-sp123",
            "1-abc",
            "1-def",
            "1-pom-1",
            "1-1-snapshot",
            "1-1",
            "1-2",
            "1-123",
        ]);
    }

    #[test]
    fn number_order() {
        assert_increasing(&[
            "2.0", "2-1", "2.0.a", "2.0.0.a", "2.0.2", "2.0.123", "2.1.0", "2.1-a", "2.1b", "2.1-c", "2.1-1",
            "2.1.0.1", "2.2", "2.123", "11.a2", "11.a11", "11.b2", "11.b11", "11.m2", "11.m11", "11", "11.a",
            "11b", "11c", "11m",
        ]);
    }

    #[test]
    fn equal_spellings() {
        for (a, b) in [
            ("1", "1.0"),
            ("1", "1.0.0"),
            ("1.0", "1.0.0"),
            ("1", "1-0"),
            ("1", "1.0-0"),
            ("1.0", "1.0-0"),
            ("1a", "1-a"),
            ("1a", "1.0-a"),
            ("1a", "1.0.0-a"),
            ("1.0a", "1-a"),
            ("1.0.0a", "1-a"),
            ("1x", "1-x"),
            ("1x", "1.0-x"),
            ("1.0.0x", "1-x"),
            ("1ga", "1"),
            ("1release", "1"),
            ("1final", "1"),
            ("1cr", "1rc"),
            ("1a1", "1-alpha-1"),
            ("1b2", "1-beta-2"),
            ("1m3", "1-milestone-3"),
            ("1X", "1x"),
            ("1A", "1a"),
            ("1RELEASE", "1release"),
            ("1Final", "1final"),
            ("2.0.0.Final", "2.0.0"),
        ] {
            assert_eq!(v(a), v(b), "{a} = {b}");
        }
    }

    #[test]
    fn long_numbers_compare_exactly() {
        assert!(v("1.20241231235959") < v("1.20250101000000"));
        assert!(v("1.99999999999999999999") < v("1.100000000000000000000"));
        assert_eq!(v("1.007"), v("1.7"));
    }
}
