//! `vigil assess --format html`: one self-contained page. A snapshot of the example's page; static checks
//! that it loads nothing, holds every section in order and escapes what a hostile repository writes; and a
//! run in headless Chromium (skipped, with the reason printed, when no browser is installed).
//!
//! How the browser run proves the page works, three independent ways:
//! - Console: Chromium started with `--enable-logging=stderr` prints every console message (log, error,
//!   uncaught exception, Content-Security-Policy violation) as a `:CONSOLE` line on stderr, all at the INFO
//!   level, so the level cannot tell an error from a log. The report's script never logs, so any console
//!   line is a failure. Two negative controls prove the detection works: a page that throws, and the report
//!   with an external image slipped in, which its CSP must block (and say so on the console).
//! - DOM (`--dump-dom`, the document after the script ran): `#risk-matrix` still holds its 100 cells and
//!   `#data-flow` the diagram's boxes, so neither the CSP nor the script removed or broke them.
//! - Pixels (`--screenshot`, decoded with the `png` crate): every band colour of the matrix and the fill of
//!   the diagram's process boxes (a colour only the diagram uses) appear, so both were actually drawn.
//!
//! A report of a repository whose names are markup is opened too: its DOM must hold no injected element.
//! Flags: `--headless` is the new headless mode (the only one in Chromium 132 and later, Debian ships 156),
//! `--no-sandbox` because CI runs as root, a throwaway `--user-data-dir`; the browser is killed after 60 s.

#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

mod common;

use std::collections::HashSet;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{SHOP, stderr, stdout, vigil};
use vigil_report::html::{CONTENT_SECURITY_POLICY, SECTIONS, palette};

/// The fill of a process box in the data-flow diagram (`svg.rs`); no other part of the page uses it.
const DIAGRAM_PROCESS_FILL: &str = "#e7f0fb";
/// Tall enough for the example's page down to the end of the diagram (section 4) at this width.
const WINDOW: &str = "1400,5200";
const BROWSER_TIMEOUT: Duration = Duration::from_secs(60);

fn html_of(args: &[&str]) -> String {
    let mut all = args.to_vec();
    all.extend(["--format", "html"]);
    let output = vigil(&all);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    stdout(&output)
}

fn shop_html() -> String {
    html_of(&SHOP)
}

#[test]
fn html_report_of_the_example() {
    insta::assert_snapshot!("shop_html", shop_html());
}

#[test]
fn every_section_is_there_in_order() {
    let html = shop_html();
    let mut last = 0;
    for (id, _) in SECTIONS {
        let at = html
            .find(&format!("<section id=\"{id}\""))
            .unwrap_or_else(|| panic!("no section {id}"));
        assert!(at > last, "section {id} is out of order");
        last = at;
    }
    for id in ["risk-matrix", "data-flow"] {
        assert_eq!(html.matches(&format!("id=\"{id}\"")).count(), 1, "{id}");
    }
    assert!(
        !html.contains("<?xml"),
        "the diagram's XML declaration must not be inlined"
    );
    assert_eq!(
        html.matches("<details>").count(),
        action_count(),
        "one collapsible runbook per action"
    );
}

fn action_count() -> usize {
    common::assessment(&SHOP)["roadmap"]["actions"]
        .as_array()
        .unwrap()
        .len()
}

#[test]
fn the_page_loads_nothing_from_outside() {
    let html = shop_html();
    assert!(
        html.contains(&format!(
            "<meta http-equiv=\"Content-Security-Policy\" content=\"{CONTENT_SECURITY_POLICY}\">"
        )),
        "the CSP meta is missing"
    );
    assert!(CONTENT_SECURITY_POLICY.starts_with("default-src 'none';"));
    let loading = [
        "link", "script", "img", "image", "iframe", "object", "embed", "source", "use",
    ];
    for (tag, attributes) in tags(&html) {
        let tag = tag.to_ascii_lowercase();
        if !loading.contains(&tag.as_str()) {
            continue;
        }
        let lower = attributes.to_ascii_lowercase();
        for attribute in ["src=", "href="] {
            if let Some(at) = lower.find(attribute) {
                let value = &lower[at + attribute.len()..];
                let value = value.trim_start_matches(['"', '\'']);
                assert!(
                    !value.starts_with("http://")
                        && !value.starts_with("https://")
                        && !value.starts_with("//"),
                    "<{tag}{attributes}> loads from outside"
                );
            }
        }
        assert!(
            tag != "script" || !lower.contains("src="),
            "scripts are inline only"
        );
    }
    let style = between(&html, "<style>", "</style>");
    assert!(
        !style.contains("url(") && !style.contains("@import"),
        "the stylesheet fetches nothing"
    );
}

/// Every opening tag: its name and the rest up to `>`. Text between tags is escaped, so a `<` there never
/// starts a tag.
fn tags(html: &str) -> Vec<(String, String)> {
    html.split('<')
        .skip(1)
        .filter_map(|chunk| {
            let end = chunk.find('>')?;
            let inner = &chunk[..end];
            let name_end = inner
                .find(|c: char| c.is_whitespace() || c == '/')
                .unwrap_or(inner.len());
            let name = &inner[..name_end];
            let is_tag = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
            is_tag.then(|| (name.to_owned(), inner[name_end..].to_owned()))
        })
        .collect()
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text.find(start).map_or(0, |i| i + start.len());
    let to = text[from..].find(end).map_or(text.len(), |i| from + i);
    &text[from..to]
}

/// A repository whose directory and file names are markup: the scope takes its name from the directory,
/// evidence and diagram labels from the file.
fn hostile_repository() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("<img src=x onerror=alert(1)>");
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(
        root.join("\"><svg onload=alert(2)>.tf"),
        "resource \"aws_s3_bucket\" \"exports\" {\n  bucket = \"<script>alert(3)</script>\"\n  \
         acl    = \"public-read\"\n}\n",
    )
    .unwrap();
    (dir, root)
}

#[test]
fn markup_in_a_scanned_repository_stays_text() {
    let (_dir, root) = hostile_repository();
    let html = html_of(&["assess", root.to_str().unwrap(), "--as-of", "2026-11-27"]);
    assert!(
        html.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "the scope name is shown, escaped"
    );
    assert!(
        html.contains("&lt;svg onload=alert(2)&gt;.tf"),
        "the file name is shown, escaped"
    );
    for injected in ["<img src=x", "<svg onload", "<script>alert"] {
        assert!(!html.contains(injected), "{injected} reached the page as markup");
    }
}

// ---------------------------------------------------------------------------------------------------
// Headless Chromium.

/// The browser to use: `VIGIL_CHROMIUM`, else the first of the usual names on `PATH`.
fn browser() -> Result<PathBuf, String> {
    if let Some(path) = std::env::var_os("VIGIL_CHROMIUM") {
        let path = PathBuf::from(path);
        return if path.is_file() {
            Ok(path)
        } else {
            Err(format!("VIGIL_CHROMIUM={} is not a file", path.display()))
        };
    }
    let names = [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ];
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |name| dir.join(name)))
        .find(|candidate| candidate.is_file())
        .ok_or_else(|| format!("none of {} on PATH and VIGIL_CHROMIUM not set", names.join(", ")))
}

/// What one browser run left: its stderr and its stdout (the DOM with `--dump-dom`).
struct Run {
    stderr: String,
    stdout: String,
}

impl Run {
    /// Console messages: every one the page caused (see the module comment for why all of them count).
    fn console(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|line| line.contains(":CONSOLE") || line.contains("Uncaught"))
            .collect()
    }
}

/// Opens `page` (a file) in headless Chromium with `extra` flags, killing it after [`BROWSER_TIMEOUT`].
fn open(browser: &Path, work: &Path, page: &Path, extra: &[String]) -> Run {
    let profile = tempfile::tempdir_in(work).unwrap();
    let (out, err) = (work.join("stdout.txt"), work.join("stderr.txt"));
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--disable-gpu",
            "--no-sandbox",
            "--no-first-run",
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(File::create(&out).unwrap())
        .stderr(File::create(&err).unwrap())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > BROWSER_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "{} did not finish in {BROWSER_TIMEOUT:?}:\n{}",
                browser.display(),
                std::fs::read_to_string(&err).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let run = Run {
        stderr: String::from_utf8_lossy(&std::fs::read(&err).unwrap()).into_owned(),
        stdout: String::from_utf8_lossy(&std::fs::read(&out).unwrap()).into_owned(),
    };
    assert!(
        status.success(),
        "{} failed: {status}\n{}",
        browser.display(),
        run.stderr
    );
    run
}

/// The distinct colours of a PNG, as `#rrggbb`.
fn colours(png_path: &Path) -> HashSet<String> {
    let file = std::io::BufReader::new(File::open(png_path).unwrap());
    let mut decoder = png::Decoder::new(file);
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().unwrap();
    let mut buffer = vec![0; reader.output_buffer_size().unwrap()];
    let frame = reader.next_frame(&mut buffer).unwrap();
    let channels = match frame.color_type {
        png::ColorType::Rgb => 3,
        png::ColorType::Rgba => 4,
        other => panic!("unexpected screenshot colour type {other:?}"),
    };
    buffer[..frame.buffer_size()]
        .chunks_exact(channels)
        .map(|p| format!("#{:02x}{:02x}{:02x}", p[0], p[1], p[2]))
        .collect()
}

/// `<tag` occurrences inside the element with `id` (up to its closing `</name>`).
fn count_in_element(dom: &str, name: &str, id: &str, tag: &str) -> usize {
    let Some(start) = dom.find(&format!("id=\"{id}\"")) else {
        return 0;
    };
    let body = &dom[start..];
    let end = body.find(&format!("</{name}>")).unwrap_or(body.len());
    body[..end].matches(&format!("<{tag} ")).count()
}

#[test]
fn chromium_renders_the_report_without_console_errors() {
    let browser = match browser() {
        Ok(browser) => browser,
        Err(reason) => {
            eprintln!("skipped: no headless browser to render the HTML report ({reason})");
            return;
        }
    };
    let work = tempfile::tempdir().unwrap();
    let html = shop_html();
    let page = work.path().join("report.html");
    std::fs::write(&page, &html).unwrap();

    // The detection works: an uncaught exception and a load the CSP blocks both show on the console.
    let throwing = work.path().join("throws.html");
    std::fs::write(
        &throwing,
        "<!DOCTYPE html><title>control</title><p>x</p><script>throw new Error(\"boom\")</script>",
    )
    .unwrap();
    let control = open(&browser, work.path(), &throwing, &["--dump-dom".into()]);
    assert!(
        control.console().iter().any(|line| line.contains("boom")),
        "the thrown error was not detected on the console:\n{}",
        control.stderr
    );
    let leaking = work.path().join("leaks.html");
    std::fs::write(
        &leaking,
        html.replacen(
            "</main>",
            "<img src=\"https://example.invalid/pixel.png\" alt=\"\"></main>",
            1,
        ),
    )
    .unwrap();
    let control = open(&browser, work.path(), &leaking, &["--dump-dom".into()]);
    assert!(
        control
            .console()
            .iter()
            .any(|line| line.contains("Content Security Policy")),
        "the CSP did not block an external image, or the violation went unseen:\n{}",
        control.stderr
    );

    // The report itself: silent, its figures intact after the script ran.
    let dom = open(&browser, work.path(), &page, &["--dump-dom".into()]);
    assert!(
        dom.console().is_empty(),
        "console messages:\n{}",
        dom.console().join("\n")
    );
    assert_eq!(count_in_element(&html, "svg", "risk-matrix", "rect"), 100);
    assert_eq!(count_in_element(&dom.stdout, "svg", "risk-matrix", "rect"), 100);
    let diagram_rects = count_in_element(&html, "figure", "data-flow", "rect");
    assert!(diagram_rects > 1, "the diagram has boxes to check");
    assert_eq!(
        count_in_element(&dom.stdout, "figure", "data-flow", "rect"),
        diagram_rects
    );
    assert!(
        dom.stdout.contains("class=\"controls\""),
        "the script ran and added its filters"
    );

    // Markup from a hostile repository stays text in the browser too: no element, no handler ran.
    let (_dir, root) = hostile_repository();
    let hostile = work.path().join("hostile.html");
    std::fs::write(
        &hostile,
        html_of(&["assess", root.to_str().unwrap(), "--as-of", "2026-11-27"]),
    )
    .unwrap();
    let dom = open(&browser, work.path(), &hostile, &["--dump-dom".into()]);
    assert!(dom.console().is_empty(), "{}", dom.stderr);
    assert!(
        dom.stdout.contains("onerror=alert(1)"),
        "the hostile name is on the page"
    );
    for element in ["<img", "<svg onload"] {
        assert!(!dom.stdout.contains(element), "{element} became an element");
    }

    // Both figures were drawn.
    let shot = work.path().join("shot.png");
    let screenshot = open(
        &browser,
        work.path(),
        &page,
        &[
            format!("--screenshot={}", shot.display()),
            format!("--window-size={WINDOW}"),
        ],
    );
    assert!(screenshot.console().is_empty(), "{}", screenshot.stderr);
    assert!(
        html.matches(DIAGRAM_PROCESS_FILL).count() > 0
            && !between(&html, "<style>", "</style>").contains(DIAGRAM_PROCESS_FILL)
            && !between(&html, "<section id=\"matrix\"", "</section>").contains(DIAGRAM_PROCESS_FILL),
        "{DIAGRAM_PROCESS_FILL} must be the diagram's own colour"
    );
    let seen = colours(&shot);
    for swatch in [palette::CRITICAL, palette::HIGH, palette::MEDIUM, palette::LOW] {
        assert!(
            seen.contains(swatch.fill),
            "the matrix colour {} is not on the screenshot",
            swatch.fill
        );
    }
    assert!(
        seen.contains(DIAGRAM_PROCESS_FILL),
        "the diagram's process fill {DIAGRAM_PROCESS_FILL} is not on the screenshot"
    );
}
