//! Line numbers for JSON object keys. serde_json gives values but no positions; lockfile findings need a
//! file:line, so one linear pass over the text records where each key path starts.

use std::collections::HashMap;

/// Deeper nesting is not recorded (and cannot be parsed by serde_json anyway, whose limit is 128).
const MAX_DEPTH: usize = 256;
const SEPARATOR: char = '\u{0}';

#[derive(Debug, Default)]
pub struct KeyLines {
    lines: HashMap<String, u32>,
}

impl KeyLines {
    /// Scans `text`; tolerant of malformed input (it records what it can and never fails).
    pub fn scan(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut lines = HashMap::new();
        let mut stack: Vec<Frame> = Vec::new();
        let mut line: u32 = 1;
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => line += 1,
                b'"' => {
                    let start = i + 1;
                    let mut escaped = false;
                    i += 1;
                    while i < bytes.len() {
                        match bytes[i] {
                            b'\\' => {
                                escaped = true;
                                i += 1; // the escaped byte cannot end the string
                            }
                            b'"' => break,
                            b'\n' => line += 1,
                            _ => {}
                        }
                        i += 1;
                    }
                    let raw = &text[start..i.min(bytes.len())];
                    if let Some(frame) = stack.last_mut().filter(|f| f.object && f.expecting_key) {
                        let key = if escaped {
                            serde_json::from_str::<String>(&format!("\"{raw}\""))
                                .unwrap_or_else(|_| raw.to_owned())
                        } else {
                            raw.to_owned()
                        };
                        frame.key = Some(key);
                        frame.expecting_key = false;
                        if stack.len() <= MAX_DEPTH {
                            lines.entry(path_of(&stack)).or_insert(line);
                        }
                    }
                }
                b'{' => stack.push(Frame {
                    object: true,
                    expecting_key: true,
                    key: None,
                    index: 0,
                }),
                b'[' => stack.push(Frame {
                    object: false,
                    expecting_key: false,
                    key: None,
                    index: 0,
                }),
                b'}' | b']' => {
                    stack.pop();
                }
                b',' => {
                    if let Some(frame) = stack.last_mut() {
                        if frame.object {
                            frame.expecting_key = true;
                        } else {
                            frame.index += 1;
                        }
                    }
                }
                _ => {}
            }
            i += 1;
        }
        Self { lines }
    }

    /// The line where the key at `path` (object keys and array indexes from the root) is written.
    pub fn get(&self, path: &[&str]) -> Option<u32> {
        self.lines.get(&path.join(&SEPARATOR.to_string())).copied()
    }
}

#[derive(Debug)]
struct Frame {
    object: bool,
    expecting_key: bool,
    key: Option<String>,
    index: usize,
}

fn path_of(stack: &[Frame]) -> String {
    let mut path = String::new();
    for (n, frame) in stack.iter().enumerate() {
        if n > 0 {
            path.push(SEPARATOR);
        }
        if frame.object {
            path.push_str(frame.key.as_deref().unwrap_or(""));
        } else {
            path.push_str(&frame.index.to_string());
        }
    }
    path
}

#[cfg(test)]
mod tests {
    use super::KeyLines;

    #[test]
    fn records_the_line_of_each_key_path() {
        let text = "{\n  \"a\": {\n    \"b\": 1,\n    \"c\": [ {\"d\": \"x\\\"y\"},\n {\"e\": 2} ]\n  },\n  \"q\\\"k\": 3\n}";
        let lines = KeyLines::scan(text);
        assert_eq!(lines.get(&["a"]), Some(2));
        assert_eq!(lines.get(&["a", "b"]), Some(3));
        assert_eq!(lines.get(&["a", "c", "0", "d"]), Some(4));
        assert_eq!(lines.get(&["a", "c", "1", "e"]), Some(5));
        assert_eq!(lines.get(&["q\"k"]), Some(7));
        assert_eq!(lines.get(&["zz"]), None);
    }

    #[test]
    fn survives_garbage() {
        for text in ["", "{", "}}]]", "{\"a", "[\"\\", "{\"a\":{\"b\":{"] {
            let _ = KeyLines::scan(text);
        }
    }
}
