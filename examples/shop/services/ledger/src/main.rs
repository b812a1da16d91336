//! Payment ledger (example code for vigil; not a real service).
fn main() {
    let settlement = regex::Regex::new(r"^SETTLE (\d+) (\w+)$").expect("valid pattern");
    println!("{}", settlement.is_match("SETTLE 1200 EUR"));
}
