//! Splits a YAML stream into its documents before parsing, so that a syntax
//! error in one document does not hide the documents after it.
//!
//! YAML forbids `---` and `...` at the start of a line inside any content
//! (block and quoted scalars included), so a line that starts with one of them
//! always separates documents, and splitting on such lines agrees with a YAML
//! parser.

/// One document's text, with where it starts in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Chunk<'a> {
    /// 1-based position in the file, counting empty documents.
    pub index: usize,
    /// 1-based line of the chunk's first line in the file.
    pub first_line: usize,
    /// The text, parsed as a stream of its own.
    pub text: &'a str,
}

struct Segment {
    start: usize,
    end: usize,
    first_line: usize,
    explicit: bool,
}

fn is_marker(line: &str, marker: &str) -> bool {
    line.strip_prefix(marker)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t', '\r', '\n']))
}

/// Whether a line says something: not blank, not a comment.
fn has_content(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty() && !t.starts_with('#')
}

/// Splits `text` into document chunks; text before the first `---` that holds
/// only comments is not a document, and a leading directive joins the next one.
pub(crate) fn split_documents(text: &str) -> Vec<Chunk<'_>> {
    let mut segments = Vec::new();
    let mut current = Segment {
        start: 0,
        end: 0,
        first_line: 1,
        explicit: false,
    };
    let mut offset = 0;
    for (n, line) in text.split_inclusive('\n').enumerate() {
        if is_marker(line, "---") {
            if offset > current.start {
                current.end = offset;
                segments.push(current);
            }
            current = Segment {
                start: offset,
                end: offset,
                first_line: n + 1,
                explicit: true,
            };
        }
        offset += line.len();
        if is_marker(line, "...") {
            current.end = offset;
            segments.push(current);
            current = Segment {
                start: offset,
                end: offset,
                first_line: n + 2,
                explicit: false,
            };
        }
    }
    if offset > current.start || current.explicit {
        current.end = offset;
        segments.push(current);
    }
    chunks(text, segments)
}

fn chunks(text: &str, segments: Vec<Segment>) -> Vec<Chunk<'_>> {
    let mut out = Vec::new();
    let mut pending: Option<(usize, usize)> = None;
    for seg in segments {
        let body = text.get(seg.start..seg.end).unwrap_or("");
        let content = body
            .lines()
            .any(|l| has_content(l) && !is_marker(l, "...") && !l.starts_with('%'));
        if !seg.explicit && !content {
            // Directives belong to the document that follows them.
            if body.lines().any(|l| l.starts_with('%')) {
                pending.get_or_insert((seg.start, seg.first_line));
            }
            continue;
        }
        let (start, first_line) = pending.take().unwrap_or((seg.start, seg.first_line));
        out.push(Chunk {
            index: out.len() + 1,
            first_line,
            text: text.get(start..seg.end).unwrap_or(""),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(text: &str) -> Vec<(usize, usize, &str)> {
        split_documents(text)
            .into_iter()
            .map(|c| (c.index, c.first_line, c.text))
            .collect()
    }

    #[test]
    fn a_bare_document_is_one_chunk_from_line_one() {
        assert_eq!(shape("scope: a\n"), [(1, 1, "scope: a\n")]);
    }

    #[test]
    fn markers_split_documents_and_empty_ones_keep_their_number() {
        let text = "---\nscope: a\n---\n---\nscope: b\n";
        assert_eq!(
            shape(text),
            [
                (1, 1, "---\nscope: a\n"),
                (2, 3, "---\n"),
                (3, 4, "---\nscope: b\n")
            ]
        );
    }

    #[test]
    fn comments_before_the_first_marker_are_not_a_document() {
        assert_eq!(
            shape("# header\n\n---\nscope: a"),
            [(1, 3, "---\nscope: a")]
        );
    }

    #[test]
    fn indented_markers_and_longer_dashes_do_not_split() {
        let text = "body: |\n  ---\n  x\n----: 1\n";
        assert_eq!(shape(text).len(), 1);
    }

    #[test]
    fn a_document_end_marker_closes_a_document() {
        assert_eq!(
            shape("a: 1\n...\nb: 2\n... # end\n# trailing\n"),
            [(1, 1, "a: 1\n...\n"), (2, 3, "b: 2\n... # end\n")]
        );
    }

    #[test]
    fn a_directive_joins_the_document_after_it() {
        assert_eq!(
            shape("%YAML 1.2\n---\na: 1\n"),
            [(1, 1, "%YAML 1.2\n---\na: 1\n")]
        );
    }

    #[test]
    fn crlf_markers_split_too() {
        assert_eq!(shape("a: 1\r\n---\r\nb: 2\r\n").len(), 2);
    }

    #[test]
    fn an_empty_text_has_no_documents() {
        assert!(shape("").is_empty());
        assert!(shape("\n  \n# only a comment\n").is_empty());
    }
}
