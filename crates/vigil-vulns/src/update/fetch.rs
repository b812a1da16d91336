//! Resumable downloads: a file is fetched into `NAME.partial` and renamed to `NAME` only when every byte the
//! server announced has arrived. An interrupted download is resumed with a `Range` request guarded by
//! `If-Range` (the entity tag or date of the first attempt), so a file that changed on the server in
//! between is fetched again from the start rather than spliced.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::{Progress, UpdateError};

/// No file vigil downloads is near this size (the largest OSV export, npm's, is a few hundred MB).
pub const MAX_DOWNLOAD_BYTES: u64 = 4 << 30;

#[derive(Debug)]
pub struct Fetcher {
    agent: ureq::Agent,
}

impl Default for Fetcher {
    fn default() -> Self {
        let config = ureq::Agent::config_builder()
            .timeout_connect(Some(Duration::from_secs(30)))
            .timeout_recv_body(Some(Duration::from_secs(120)))
            .http_status_as_error(false)
            .user_agent(concat!("vigil/", env!("CARGO_PKG_VERSION")))
            .build();
        Self { agent: config.into() }
    }
}

impl Fetcher {
    /// A small text resource (a listing), read whole.
    pub fn text(&self, url: &str, cap: u64) -> Result<Option<String>, UpdateError> {
        let response = self
            .agent
            .get(url)
            .call()
            .map_err(|e| UpdateError::http(url, e))?;
        match response.status().as_u16() {
            200 => {}
            404 => return Ok(None),
            status => return Err(UpdateError::status(url, status)),
        }
        let mut text = String::new();
        response
            .into_body()
            .into_with_config()
            .limit(cap)
            .reader()
            .read_to_string(&mut text)
            .map_err(|e| UpdateError::Transfer {
                url: url.to_owned(),
                message: e.to_string(),
            })?;
        Ok(Some(text))
    }

    /// Downloads `url` to `target`, resuming a previous partial download of it.
    pub fn file(&self, url: &str, target: &Path, progress: &dyn Progress) -> Result<PathBuf, UpdateError> {
        let partial = with_suffix(target, ".partial");
        let validator_path = with_suffix(target, ".validator");
        let have = fs_err::metadata(&partial).map(|m| m.len()).unwrap_or(0);
        let validator = fs_err::read_to_string(&validator_path).ok();
        let mut request = self.agent.get(url);
        if have > 0
            && let Some(validator) = &validator
        {
            request = request
                .header("Range", format!("bytes={have}-"))
                .header("If-Range", validator.trim());
        }
        let response = request.call().map_err(|e| UpdateError::http(url, e))?;
        let status = response.status().as_u16();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let length: Option<u64> = header("content-length").and_then(|v| v.parse().ok());
        let (append, total) = match status {
            206 => {
                // `Content-Range: bytes START-END/TOTAL` must continue exactly where the partial file ends.
                let range = header("content-range").unwrap_or_default();
                let start = range
                    .strip_prefix("bytes ")
                    .and_then(|r| r.split('-').next())
                    .and_then(|s| s.parse::<u64>().ok());
                if start != Some(have) {
                    return Err(UpdateError::Transfer {
                        url: url.to_owned(),
                        message: format!("the server resumed at `{range}`, not at byte {have}"),
                    });
                }
                (true, length.map(|l| have + l))
            }
            200 => (false, length),
            status => return Err(UpdateError::status(url, status)),
        };
        if total.is_some_and(|t| t > MAX_DOWNLOAD_BYTES) {
            return Err(UpdateError::Transfer {
                url: url.to_owned(),
                message: format!(
                    "{} bytes announced, over the {MAX_DOWNLOAD_BYTES}-byte cap",
                    total.unwrap_or(0)
                ),
            });
        }
        if !append {
            // A fresh start: remember what identifies this version of the file, for a later resume.
            match header("etag").or_else(|| header("last-modified")) {
                Some(v) => {
                    fs_err::write(&validator_path, v).map_err(|e| UpdateError::io(&validator_path, e))?
                }
                None => {
                    let _ = fs_err::remove_file(&validator_path);
                }
            }
        }
        let mut file = fs_err::OpenOptions::new()
            .create(true)
            .write(true)
            .append(append)
            .truncate(!append)
            .open(&partial)
            .map_err(|e| UpdateError::io(&partial, e))?;
        progress.begin(url, total);
        if append {
            progress.advance(have);
        }
        let mut reader = response
            .into_body()
            .into_with_config()
            .limit(MAX_DOWNLOAD_BYTES)
            .reader();
        let mut written = if append { have } else { 0 };
        let mut buffer = vec![0u8; 256 * 1024];
        loop {
            let read = match reader.read(&mut buffer) {
                Ok(0) => break,
                Ok(n) => n,
                Err(error) => {
                    progress.end();
                    // What arrived is kept: the next update resumes from it.
                    return Err(UpdateError::Transfer {
                        url: url.to_owned(),
                        message: format!(
                            "interrupted after {written} bytes ({error}); run the update again to resume"
                        ),
                    });
                }
            };
            file.write_all(&buffer[..read])
                .map_err(|e| UpdateError::io(&partial, e))?;
            written += read as u64;
            progress.advance(read as u64);
        }
        progress.end();
        file.flush().map_err(|e| UpdateError::io(&partial, e))?;
        if let Some(total) = total
            && written != total
        {
            return Err(UpdateError::Transfer {
                url: url.to_owned(),
                message: format!("truncated: {written} of {total} bytes; run the update again to resume"),
            });
        }
        fs_err::rename(&partial, target).map_err(|e| UpdateError::io(target, e))?;
        let _ = fs_err::remove_file(&validator_path);
        Ok(target.to_path_buf())
    }
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}
