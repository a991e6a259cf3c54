//! A small reader of Rust source for the architecture tests: which rooms of
//! the crate (`crate::store`, `super::…`) and which outside crates a file
//! names, with the line of each. It reads tokens, not a syntax tree, which is
//! enough for paths: comments and string literals are skipped, `use` groups
//! (`crate::{a::X, b::Y}`) are opened, and `super::` is resolved against the
//! file's own module path.

use std::path::{Path, PathBuf};

/// One name of another room or crate, where it is written.
#[derive(Debug, Clone)]
pub struct Reference {
    pub file: PathBuf,
    pub line: usize,
    /// The first segment after `crate::` (a room), or an outside crate's name.
    pub target: String,
    pub outside: bool,
}

/// The module path of a file under `src/`: `src/store/executions/sql.rs` is
/// `["store", "executions", "sql"]`, a `mod.rs` its directory's.
pub fn module_path(src: &Path, file: &Path) -> Vec<String> {
    let relative = file.strip_prefix(src).unwrap_or(file);
    let mut parts: Vec<String> = relative
        .iter()
        .map(|part| part.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Ident(String),
    Colons,
    Open,
    Close,
    Comma,
    Other,
}

/// Tokens with their lines, comments and literals left out. Code after a
/// `#[cfg(test)]` line is the file's tests and is left out too.
fn tokens(text: &str) -> Vec<(Token, usize)> {
    let text = match text.find("#[cfg(test)]") {
        Some(at) => &text[..at],
        None => text,
    };
    let chars: Vec<char> = text.chars().collect();
    let (mut out, mut i, mut line) = (Vec::new(), 0, 1);
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            i += 2;
            while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                line += usize::from(chars[i] == '\n');
                i += 1;
            }
            i += 2;
        } else if c == '"' || (c == 'r' && matches!(next, Some('"' | '#'))) {
            i = skip_string(&chars, i, &mut line);
            out.push((Token::Other, line));
        } else if c == '\'' {
            i = skip_char_or_lifetime(&chars, i);
            out.push((Token::Other, line));
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push((Token::Ident(chars[start..i].iter().collect()), line));
        } else {
            let token = match (c, next) {
                (':', Some(':')) => {
                    i += 1;
                    Token::Colons
                }
                ('{', _) => Token::Open,
                ('}', _) => Token::Close,
                (',', _) => Token::Comma,
                _ => Token::Other,
            };
            out.push((token, line));
            i += 1;
        }
    }
    out
}

fn skip_string(chars: &[char], mut i: usize, line: &mut usize) -> usize {
    let mut hashes = 0;
    let raw = chars[i] == 'r';
    if raw {
        i += 1;
        while chars.get(i) == Some(&'#') {
            hashes += 1;
            i += 1;
        }
    }
    i += 1;
    while i < chars.len() {
        match chars[i] {
            '\\' if !raw => i += 1,
            '\n' => *line += 1,
            '"' if (1..=hashes).all(|k| chars.get(i + k) == Some(&'#')) => return i + 1 + hashes,
            _ => {}
        }
        i += 1;
    }
    i
}

/// `'a'`, `'\n'` and `'\u{1F600}'` are characters; `'a` is a lifetime.
fn skip_char_or_lifetime(chars: &[char], i: usize) -> usize {
    if chars.get(i + 1) == Some(&'\\') {
        let mut j = i + 2;
        while j < chars.len() && chars[j] != '\'' {
            j += 1;
        }
        return j + 1;
    }
    if chars.get(i + 2) == Some(&'\'') {
        return i + 3;
    }
    i + 1
}

/// Every room of the crate and every outside crate `file` names.
pub fn references(src: &Path, file: &Path, text: &str, crates: &[&str]) -> Vec<Reference> {
    let module = module_path(src, file);
    let toks = tokens(text);
    let mut out = Vec::new();
    let mut push = |target: String, line: usize, outside: bool| {
        out.push(Reference {
            file: file.to_path_buf(),
            line,
            target,
            outside,
        })
    };
    for (i, (token, line)) in toks.iter().enumerate() {
        let Token::Ident(name) = token else { continue };
        let after_colons = i > 0 && toks[i - 1].0 == Token::Colons;
        let before_colons = toks.get(i + 1).map(|t| &t.0) == Some(&Token::Colons);
        if after_colons || !before_colons {
            continue;
        }
        match name.as_str() {
            "crate" => {
                for (room, line) in heads(&toks, i + 2) {
                    push(room, line, false);
                }
            }
            "super" => {
                let (depth, at) = super_depth(&toks, i);
                let owner = module.len().saturating_sub(depth);
                if owner > 0 {
                    push(module[0].clone(), *line, false);
                } else {
                    for (room, line) in heads(&toks, at) {
                        push(room, line, false);
                    }
                }
            }
            other if crates.contains(&other) => push(other.to_string(), *line, true),
            _ => {}
        }
    }
    out
}

/// How many `super::` start at `i`, and the token after them.
fn super_depth(toks: &[(Token, usize)], mut i: usize) -> (usize, usize) {
    let mut depth = 0;
    while toks.get(i).map(|t| &t.0) == Some(&Token::Ident("super".into()))
        && toks.get(i + 1).map(|t| &t.0) == Some(&Token::Colons)
    {
        depth += 1;
        i += 2;
    }
    (depth, i)
}

/// The first segments named at `i`: one identifier, or each item of a group.
fn heads(toks: &[(Token, usize)], i: usize) -> Vec<(String, usize)> {
    match toks.get(i) {
        Some((Token::Ident(name), line)) => vec![(name.clone(), *line)],
        Some((Token::Open, _)) => {
            let (mut out, mut depth, mut expect) = (Vec::new(), 0, true);
            for (token, line) in &toks[i + 1..] {
                match token {
                    Token::Open => depth += 1,
                    Token::Close if depth == 0 => break,
                    Token::Close => depth -= 1,
                    Token::Comma if depth == 0 => expect = true,
                    Token::Ident(name) if depth == 0 && expect => {
                        out.push((name.clone(), *line));
                        expect = false;
                    }
                    _ => {}
                }
            }
            out
        }
        _ => Vec::new(),
    }
}

/// The files `file` declares as test modules (`#[cfg(test)]` before a
/// `mod name;`, with or without `#[path]`): they and what is under them are
/// not product code.
pub fn test_modules(file: &Path, text: &str) -> Vec<PathBuf> {
    let dir = file.parent().unwrap_or(Path::new("."));
    let stem = file.file_stem().map(|s| s.to_string_lossy().to_string());
    let owns_dir = matches!(stem.as_deref(), Some("mod" | "lib" | "main"));
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if *line != "#[cfg(test)]" {
            continue;
        }
        let mut rest = lines[i + 1..].iter();
        let mut next = rest.next().copied().unwrap_or("");
        let mut path = None;
        if let Some(given) = next.strip_prefix("#[path = \"") {
            path = given.strip_suffix("\"]").map(|p| dir.join(p));
            next = rest.next().copied().unwrap_or("");
        }
        let declared = next.trim_start_matches("pub ").strip_prefix("mod ");
        let Some(name) = declared.and_then(|d| d.strip_suffix(';')) else {
            continue;
        };
        out.push(path.unwrap_or_else(|| {
            let base = if owns_dir {
                dir.to_path_buf()
            } else {
                dir.join(stem.clone().unwrap_or_default())
            };
            let flat = base.join(format!("{name}.rs"));
            if flat.exists() { flat } else { base.join(name) }
        }));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn targets(file: &str, text: &str) -> Vec<(String, usize)> {
        references(Path::new("src"), Path::new(file), text, &["tokio"])
            .into_iter()
            .map(|r| (r.target, r.line))
            .collect()
    }

    #[test]
    fn groups_super_and_outside_crates_are_read_with_their_lines() {
        let text = "use crate::{\n    domain::Host,\n    store::{Store, StoreError},\n};\nuse super::super::graphql::X;\nfn f() { tokio::spawn(crate::cache::go()); }\n";
        assert_eq!(
            targets("src/store/executions/sql.rs", text),
            vec![
                ("domain".to_string(), 2),
                ("store".to_string(), 3),
                ("store".to_string(), 5),
                ("tokio".to_string(), 6),
                ("cache".to_string(), 6),
            ]
        );
    }

    #[test]
    fn a_top_level_files_super_is_the_crate_root() {
        assert_eq!(
            targets("src/cache.rs", "use super::runbooks::X;"),
            vec![("runbooks".to_string(), 1)]
        );
    }

    #[test]
    fn comments_strings_and_test_modules_name_nothing() {
        let text = "// crate::store::x\n/* crate::http */ let s = \"crate::graphql::y\";\nlet r = r#\"crate::auth\"#; let c = '\\'';\n#[cfg(test)]\nmod tests { use crate::store::X; }\n";
        assert_eq!(targets("src/domain/ids.rs", text), vec![]);
    }
}
