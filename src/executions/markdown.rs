//! Alert values put into a procedure's Markdown body are literal text: each
//! value is escaped for where the author placed it, so a label cannot add a
//! link, an image, HTML, a heading or a table cell of its own.
//!
//! In running text every ASCII punctuation character is backslash-escaped
//! (CommonMark lets any of them be), which also breaks bare autolinks
//! (`https\:\/\/…`, `www\.…`, `a\@b`). Inside a code span, where no escape
//! works, a backtick becomes `ˋ` (U+02CB) and a pipe `¦` (U+00A6), so the value
//! can neither close the span nor a table cell. Inside a code block the value
//! stays as it is. Inside raw HTML it is HTML-escaped. Everywhere a line
//! break becomes a space, so a value cannot start a block of its own.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag};

/// Where in the author's Markdown a placeholder sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// Running text (also link text, destinations and titles).
    Text,
    /// Between the backticks of a code span.
    CodeSpan,
    /// In a fenced or indented code block.
    CodeBlock,
    /// In raw HTML the author wrote.
    Html,
}

/// The parts of a Markdown text that are not running text, by byte range.
pub struct Contexts(Vec<(Range<usize>, Context)>);

impl Contexts {
    /// Reads the author's text as written (placeholders are not Markdown, so
    /// they do not change its structure).
    pub fn of(text: &str) -> Self {
        let parser = Parser::new_ext(text, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH);
        let ranges = parser
            .into_offset_iter()
            .filter_map(|(event, range)| match event {
                Event::Code(_) => Some((range, Context::CodeSpan)),
                Event::Start(Tag::CodeBlock(_)) => Some((range, Context::CodeBlock)),
                Event::Start(Tag::HtmlBlock) | Event::Html(_) | Event::InlineHtml(_) => {
                    Some((range, Context::Html))
                }
                _ => None,
            })
            .collect();
        Contexts(ranges)
    }

    /// The context at byte `offset` of the text.
    pub fn at(&self, offset: usize) -> Context {
        self.0
            .iter()
            .find(|(range, _)| range.contains(&offset))
            .map_or(Context::Text, |(_, context)| *context)
    }
}

/// `value` written so that, placed in `context`, it reads as literal text.
pub fn escape(value: &str, context: Context) -> String {
    let mut out = String::with_capacity(value.len() * 2);
    for c in value.chars() {
        match (context, c) {
            (_, '\r' | '\n') => out.push(' '),
            (Context::Text, c) if c.is_ascii_punctuation() => {
                out.push('\\');
                out.push(c);
            }
            (Context::CodeSpan, '`') => out.push('\u{02CB}'),
            (Context::CodeSpan, '|') => out.push('\u{00A6}'),
            (Context::Html, '&') => out.push_str("&amp;"),
            (Context::Html, '<') => out.push_str("&lt;"),
            (Context::Html, '>') => out.push_str("&gt;"),
            (Context::Html, '"') => out.push_str("&quot;"),
            (Context::Html, '\'') => out.push_str("&#39;"),
            (_, c) => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use pulldown_cmark::{Event, Options, Parser, Tag};

    use crate::{
        domain::{ErrorCode, Host, ScopeId},
        executions::{model::AlertContext, template::render_markdown},
    };

    const HOSTILE: &[&str] = &[
        "[click](https://evil.example)",
        "![img](https://evil.example/x.png)",
        "<img src=x onerror=alert(1)>",
        "<script>alert(1)</script>",
        "<https://evil.example>",
        "https://evil.example/path",
        "www.evil.example",
        "mail@evil.example",
        "x\n\n[ref]: https://evil.example\n\n[ref]",
        "`\n\n<b>bold</b>\n\n`",
        "a | [cell](https://evil.example) |",
        "*em* _em_ **strong** # head ! &amp; &#60;b&#62;",
        "x\n# Heading\n> quote\n```\ncode\n```",
    ];

    fn alert(label: &str) -> AlertContext {
        AlertContext {
            host: Host::parse("lightapi.net").unwrap(),
            service_id: ScopeId::parse("com.acme.ledger-1.0.0").unwrap(),
            error_code: ErrorCode::parse("ERR10001").unwrap(),
            environment: Some("prod".into()),
            instance: None,
            labels: [("evil".to_owned(), label.to_owned())].into(),
            status_code: Some(401),
            message: None,
            description: None,
            severity: None,
        }
    }

    /// Links, images and HTML the rendered text holds, and its plain text.
    fn live(markdown: &str) -> (Vec<String>, String) {
        let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
        let mut found = Vec::new();
        let mut text = String::new();
        for event in Parser::new_ext(markdown, options) {
            match event {
                Event::Start(Tag::Link { dest_url, .. }) => found.push(format!("link {dest_url}")),
                Event::Start(Tag::Image { dest_url, .. }) => {
                    found.push(format!("image {dest_url}"))
                }
                Event::Start(Tag::Heading { .. }) => found.push("heading".into()),
                Event::Start(Tag::HtmlBlock) => found.push("html block".into()),
                Event::Html(h) | Event::InlineHtml(h) => found.push(format!("html {h}")),
                Event::Text(t) | Event::Code(t) => text.push_str(&t),
                _ => {}
            }
        }
        (found, text)
    }

    /// The author's body: a heading, a link, a table, code, with the hostile
    /// value in running text, a code span, a table cell and a code block.
    const BODY: &str = "# Check {{serviceId}}\n\n\
        See [the dashboard](https://grafana.example/d?svc={{serviceId}}) for {{labels.evil}}.\n\n\
        Run `kubectl logs {{labels.evil}}` now.\n\n\
        | label | value |\n| --- | --- |\n| evil | {{labels.evil}} |\n| code | `{{labels.evil}}` |\n\n\
        ```\necho {{labels.evil}}\n```\n";

    #[test]
    fn a_hostile_label_adds_no_link_image_html_or_block_while_the_authors_markdown_renders() {
        let (expected, _) = live(BODY);
        assert_eq!(
            expected,
            [
                "heading",
                "link https://grafana.example/d?svc={{serviceId}}"
            ],
            "the author's own Markdown"
        );
        for payload in HOSTILE {
            let body = render_markdown(BODY, &alert(payload), &mut BTreeSet::new());
            let (found, text) = live(&body);
            assert_eq!(
                found,
                [
                    "heading",
                    "link https://grafana.example/d?svc=com.acme.ledger-1.0.0"
                ],
                "{payload:?} gave\n{body}"
            );
            let flat = payload.replace('\n', " ");
            assert!(
                text.contains(&flat),
                "{payload:?} reads as written in\n{body}\n{text}"
            );
        }
    }

    #[test]
    fn a_value_in_raw_html_is_html_escaped() {
        let body = render_markdown(
            "<div title=\"{{labels.evil}}\">x</div>\n",
            &alert("\"><script>alert(1)</script>"),
            &mut BTreeSet::new(),
        );
        assert!(!body.contains("<script>"), "{body}");
        assert!(body.contains("&quot;&gt;&lt;script&gt;"), "{body}");
    }
}
