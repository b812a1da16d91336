//! Reading OSV records from what users have: an OSV `all.zip`, a directory of `<ID>.json` files, or one
//! JSON file (a record, an array of records, or an osv.dev `{"vulns": [...]}` answer).
//!
//! Archives are read in memory, never extracted, so entry names (`../../x`) cannot write anywhere; entry
//! sizes are capped so a zip bomb cannot exhaust memory.

use std::io::Read;
use std::path::{Path, PathBuf};

use fs_err as fs;
use rayon::prelude::*;

use crate::osv::OsvRecord;

/// An advisory is a few KiB; anything this large is not one.
const MAX_RECORD_BYTES: u64 = 16 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("{path}: not a zip archive: {message}")]
    Zip { path: String, message: String },
    #[error("{path}: not OSV JSON: {message}")]
    Json { path: String, message: String },
    #[error("{path}: neither an OSV zip, a .json file nor a directory")]
    Unknown { path: String },
}

/// Records read from one source, with the entries that were skipped and why.
#[derive(Debug, Default)]
pub struct Loaded {
    pub records: Vec<OsvRecord>,
    pub skipped: Vec<String>,
}

pub fn load(path: &Path) -> Result<Loaded, LoadError> {
    let meta = fs::metadata(path)?;
    if meta.is_dir() {
        return load_dir(path);
    }
    let is_zip = {
        let mut magic = [0u8; 4];
        let n = fs::File::open(path)?.read(&mut magic)?;
        n == 4 && magic == *b"PK\x03\x04"
    };
    if is_zip {
        return load_zip(path);
    }
    if path.extension().is_some_and(|e| e == "json") {
        let mut loaded = Loaded::default();
        parse_all(vec![(path.display().to_string(), fs::read(path)?)], &mut loaded);
        if loaded.records.is_empty() && !loaded.skipped.is_empty() {
            return Err(LoadError::Json {
                path: path.display().to_string(),
                message: loaded.skipped.join("; "),
            });
        }
        return Ok(loaded);
    }
    Err(LoadError::Unknown {
        path: path.display().to_string(),
    })
}

fn load_zip(path: &Path) -> Result<Loaded, LoadError> {
    let display = path.display().to_string();
    let file = fs::File::open(path)?;
    let mut archive = zip::ZipArchive::new(std::io::BufReader::new(file)).map_err(|e| LoadError::Zip {
        path: display.clone(),
        message: e.to_string(),
    })?;
    let mut loaded = Loaded::default();
    let mut files = Vec::with_capacity(archive.len());
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).map_err(|e| LoadError::Zip {
            path: display.clone(),
            message: e.to_string(),
        })?;
        let name = String::from_utf8_lossy(entry.name_raw()).into_owned();
        if entry.is_dir() || !name.ends_with(".json") {
            continue;
        }
        // Nothing is ever extracted, but a name that climbs out of the archive (`../x.json`, `/etc/x.json`)
        // marks a crafted archive: its entry is not trusted.
        if name.starts_with(['/', '\\']) || entry.enclosed_name().is_none() {
            loaded.skipped.push(format!(
                "{display}!{name}: unsafe path in the archive, entry ignored"
            ));
            continue;
        }
        if entry.size() > MAX_RECORD_BYTES {
            loaded.skipped.push(format!(
                "{display}!{name}: {} bytes, over the record size cap",
                entry.size()
            ));
            continue;
        }
        let mut bytes = Vec::with_capacity(usize::try_from(entry.size()).unwrap_or(0));
        // The declared size can lie; never read past the cap.
        if let Err(error) = (&mut entry).take(MAX_RECORD_BYTES + 1).read_to_end(&mut bytes) {
            // A truncated or corrupt archive must not pass for a complete one.
            return Err(LoadError::Zip {
                path: display,
                message: format!("{name}: {error}"),
            });
        }
        if bytes.len() as u64 > MAX_RECORD_BYTES {
            loaded
                .skipped
                .push(format!("{display}!{name}: over the record size cap"));
            continue;
        }
        files.push((format!("{display}!{name}"), bytes));
    }
    parse_all(files, &mut loaded);
    Ok(loaded)
}

fn load_dir(path: &Path) -> Result<Loaded, LoadError> {
    let mut files: Vec<PathBuf> = Vec::new();
    let mut pending = vec![path.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in fs::read_dir(&dir)? {
            let entry = entry?;
            let file_type = entry.file_type()?;
            if file_type.is_dir() {
                pending.push(entry.path());
            } else if file_type.is_file() && entry.path().extension().is_some_and(|e| e == "json") {
                files.push(entry.path());
            }
        }
    }
    files.sort();
    let mut loaded = Loaded::default();
    let mut contents = Vec::with_capacity(files.len());
    for file in files {
        let meta = fs::metadata(&file)?;
        if meta.len() > MAX_RECORD_BYTES {
            loaded
                .skipped
                .push(format!("{}: over the record size cap", file.display()));
            continue;
        }
        contents.push((file.display().to_string(), fs::read(&file)?));
    }
    parse_all(contents, &mut loaded);
    Ok(loaded)
}

/// Parses one JSON file. Most are a single record, read straight into the struct; arrays and osv.dev
/// query answers go through a generic value first.
fn parse_json(bytes: &[u8], origin: &str) -> (Vec<OsvRecord>, Vec<String>) {
    if let Ok(record) = serde_json::from_slice::<OsvRecord>(bytes) {
        return (vec![record], Vec::new());
    }
    let value: serde_json::Value = match serde_json::from_slice(bytes) {
        Ok(v) => v,
        Err(e) => return (Vec::new(), vec![format!("{origin}: invalid JSON: {e}")]),
    };
    let items = match value {
        serde_json::Value::Array(items) => items,
        serde_json::Value::Object(mut map) if !map.contains_key("id") && map.contains_key("vulns") => {
            match map.remove("vulns") {
                Some(serde_json::Value::Array(items)) => items,
                _ => Vec::new(),
            }
        }
        other => vec![other],
    };
    let (mut records, mut skipped) = (Vec::new(), Vec::new());
    for item in items {
        match serde_json::from_value::<OsvRecord>(item) {
            Ok(record) => records.push(record),
            Err(e) => skipped.push(format!("{origin}: not an OSV record: {e}")),
        }
    }
    (records, skipped)
}

/// Parses files in parallel (JSON decoding dominates loading), keeping their order.
fn parse_all(files: Vec<(String, Vec<u8>)>, loaded: &mut Loaded) {
    let parsed: Vec<(Vec<OsvRecord>, Vec<String>)> = files
        .par_iter()
        .map(|(origin, bytes)| parse_json(bytes, origin))
        .collect();
    for (records, skipped) in parsed {
        loaded.records.extend(records);
        loaded.skipped.extend(skipped);
    }
}
