//! FIRST EPSS scores: a CSV (`cve,epss,percentile`), plain or gzipped, after any number of `#` comment
//! lines (FIRST writes `#model_version:...,score_date:...`; mirrors write their own).

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use super::IntelError;

/// One CVE's score: the probability of exploitation activity in the next 30 days, and its percentile.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EpssScore {
    pub probability: f64,
    pub percentile: f64,
}

const HEADER: &str = "cve,epss,percentile";

/// Whether `head` (the first bytes of a file, decompressed) is an EPSS CSV.
pub fn looks_like(head: &str) -> bool {
    head.lines()
        .find(|l| !l.starts_with('#'))
        .is_some_and(|l| l.trim() == HEADER)
}

/// The first comment line (FIRST's model version and score date), and the number of scores (validation for
/// an import: every line is parsed).
pub fn summary(path: &Path) -> Result<(Option<String>, usize), IntelError> {
    let mut comment = None;
    let mut count = 0;
    each(
        path,
        |text| {
            comment.get_or_insert_with(|| text.trim().to_owned());
        },
        |_| true,
        |_, _| count += 1,
    )?;
    Ok((comment, count))
}

/// The scores of the `wanted` CVEs.
pub fn read(path: &Path, wanted: &HashSet<String>) -> Result<HashMap<String, EpssScore>, IntelError> {
    let mut scores = HashMap::new();
    each(
        path,
        |_| {},
        |line| line.split(',').next().is_some_and(|cve| wanted.contains(cve)),
        |cve, score| {
            scores.insert(cve.to_owned(), score);
        },
    )?;
    Ok(scores)
}

/// Streams the file: `comment` receives each `#` line's text; `keep` sees each data line and says whether
/// to parse it (skipping unwanted lines cheaply); `found` receives each parsed score. A malformed line that
/// is parsed is an error with its line number.
fn each(
    path: &Path,
    mut comment: impl FnMut(&str),
    mut keep: impl FnMut(&str) -> bool,
    mut found: impl FnMut(&str, EpssScore),
) -> Result<(), IntelError> {
    let mut file = fs_err::File::open(path).map_err(|e| IntelError::io(path, e))?;
    let mut magic = [0u8; 2];
    let compressed =
        file.read(&mut magic).map_err(|e| IntelError::io(path, e))? == 2 && magic == [0x1f, 0x8b];
    let file = fs_err::File::open(path).map_err(|e| IntelError::io(path, e))?;
    let reader: Box<dyn BufRead> = if compressed {
        Box::new(BufReader::new(flate2::read::GzDecoder::new(file)))
    } else {
        Box::new(BufReader::new(file))
    };
    let mut header_seen = false;
    for (index, line) in reader.lines().enumerate() {
        let number = index + 1;
        let line = line.map_err(|e| IntelError::invalid(path, format!("line {number}: {e}")))?;
        if let Some(text) = line.strip_prefix('#') {
            comment(text);
            continue;
        }
        if line.trim().is_empty() {
            continue;
        }
        if !header_seen {
            if line.trim() != HEADER {
                return Err(IntelError::invalid(
                    path,
                    format!("line {number}: expected the EPSS header `{HEADER}`"),
                ));
            }
            header_seen = true;
            continue;
        }
        if !keep(&line) {
            continue;
        }
        let fields: Vec<&str> = line.trim().split(',').collect();
        let parsed = match fields.as_slice() {
            [cve, probability, percentile] if super::is_cve(cve) => probability
                .parse::<f64>()
                .ok()
                .zip(percentile.parse::<f64>().ok())
                .filter(|(p, q)| (0.0..=1.0).contains(p) && (0.0..=1.0).contains(q))
                .map(|(probability, percentile)| {
                    (
                        *cve,
                        EpssScore {
                            probability,
                            percentile,
                        },
                    )
                }),
            _ => None,
        };
        let Some((cve, score)) = parsed else {
            return Err(IntelError::invalid(
                path,
                format!("line {number}: not `CVE-id,probability,percentile`"),
            ));
        };
        found(cve, score);
    }
    if !header_seen {
        return Err(IntelError::invalid(
            path,
            format!("no `{HEADER}` header: not an EPSS file"),
        ));
    }
    Ok(())
}
