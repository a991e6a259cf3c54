//! Media types: the answer type a client accepts (`Accept`), and the one
//! request type accepted for bodies (`Content-Type: application/json`).

use axum::http::{HeaderMap, StatusCode, header};
use mime::Mime;

use super::Refusal;
use crate::error::ApiErrorCode;

/// The media type of an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Answer {
    /// `application/json`: 200 whenever a GraphQL answer was made.
    Json,
    /// `application/graphql-response+json`: the status says whether the
    /// request was executed.
    GraphqlResponse,
}

impl Answer {
    /// The `Content-Type` of the answer.
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Json => "application/json",
            Self::GraphqlResponse => GRAPHQL_RESPONSE,
        }
    }
}

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";

/// How well one `Accept` entry matches a type: its q-value and how specific
/// it is (2 exact, 1 `type/*`, 0 `*/*`).
fn score(range: &Mime, essence: &str) -> Option<(u16, u8)> {
    let (ty, _) = essence.split_once('/')?;
    // The whole essence, since `subtype()` leaves out a `+json` suffix.
    let specificity = if range.essence_str() == essence {
        2
    } else if range.subtype() == mime::STAR && range.type_() == ty {
        1
    } else if range.essence_str() == "*/*" {
        0
    } else {
        return None;
    };
    Some((quality(range), specificity))
}

/// An entry's q-value in thousandths (1000 without `q`; 0 when malformed).
fn quality(range: &Mime) -> u16 {
    let Some(q) = range.get_param("q") else {
        return 1000;
    };
    q.as_str()
        .parse::<f32>()
        .ok()
        .filter(|q| (0.0..=1.0).contains(q))
        .map_or(0, |q| (q * 1000.0).round() as u16)
}

/// The q-value the `Accept` ranges give a type: that of the most specific
/// range matching it (0: not acceptable).
fn accepted(ranges: &[Mime], essence: &str) -> u16 {
    ranges
        .iter()
        .filter_map(|range| score(range, essence))
        .max_by_key(|(_, specificity)| *specificity)
        .map_or(0, |(q, _)| q)
}

/// The answer type for a request: `application/json` without `Accept` (or
/// for `*/*`, or when both are accepted alike), `application/graphql-response+json`
/// when the client prefers it; 406 when it accepts neither.
pub fn answer_type(headers: &HeaderMap) -> Result<Answer, Refusal> {
    let mut ranges = Vec::new();
    for value in headers.get_all(header::ACCEPT) {
        let Ok(value) = value.to_str() else { continue };
        ranges.extend(
            value
                .split(',')
                .filter(|entry| !entry.trim().is_empty())
                .filter_map(|entry| entry.trim().parse::<Mime>().ok()),
        );
    }
    if ranges.is_empty() {
        return Ok(Answer::Json);
    }
    let json = accepted(&ranges, "application/json");
    let graphql = accepted(&ranges, GRAPHQL_RESPONSE);
    match (json, graphql) {
        (0, 0) => Err(Refusal::new(
            StatusCode::NOT_ACCEPTABLE,
            ApiErrorCode::BadUserInput,
            "answers are application/json or application/graphql-response+json; \
             the Accept header names neither",
        )
        .on("accept")),
        (json, graphql) if graphql > json => Ok(Answer::GraphqlResponse),
        _ => Ok(Answer::Json),
    }
}

/// Whether a request body is `application/json` (in UTF-8, the only charset
/// JSON has); else the 415 to send. Refusing every other type keeps pages on
/// other origins from sending bodies without a CORS preflight.
pub fn require_json(headers: &HeaderMap) -> Result<(), Refusal> {
    let given = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<Mime>().ok());
    let is_json = given.as_ref().is_some_and(|m| {
        m.essence_str() == "application/json"
            && m.get_param(mime::CHARSET)
                .is_none_or(|c| c.as_str().eq_ignore_ascii_case("utf-8"))
    });
    if is_json {
        return Ok(());
    }
    let message = match headers.get(header::CONTENT_TYPE) {
        None => "the request has no Content-Type; send application/json".to_owned(),
        Some(v) => format!(
            "request bodies are application/json (UTF-8), not {:?}",
            v.to_str().unwrap_or("?")
        ),
    };
    Err(Refusal::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ApiErrorCode::BadUserInput,
        message,
    )
    .on("content-type"))
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn with(name: header::HeaderName, value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(name, HeaderValue::from_str(value).expect("header"));
        headers
    }

    #[test]
    fn the_preferred_answer_type_is_chosen_and_json_wins_ties() {
        for (accept, expected) in [
            ("application/json", Answer::Json),
            ("*/*", Answer::Json),
            ("application/*", Answer::Json),
            (GRAPHQL_RESPONSE, Answer::GraphqlResponse),
            (
                "application/graphql-response+json, application/json;q=0.9",
                Answer::GraphqlResponse,
            ),
            (
                "application/graphql-response+json;q=0.5, application/json",
                Answer::Json,
            ),
            (
                "application/json, application/graphql-response+json",
                Answer::Json,
            ),
            ("text/html, */*;q=0.1", Answer::Json),
            (
                "application/json;q=0, application/graphql-response+json",
                Answer::GraphqlResponse,
            ),
            ("", Answer::Json),
        ] {
            let answer = answer_type(&with(header::ACCEPT, accept)).ok();
            assert_eq!(answer, Some(expected), "{accept}");
        }
        assert_eq!(answer_type(&HeaderMap::new()).ok(), Some(Answer::Json));
    }

    #[test]
    fn an_accept_naming_neither_type_is_refused() {
        for accept in [
            "text/html",
            "application/xml, text/*",
            "application/json;q=0",
        ] {
            let refused = answer_type(&with(header::ACCEPT, accept)).err();
            let status = refused.map(|r| r.status);
            assert_eq!(status, Some(StatusCode::NOT_ACCEPTABLE), "{accept}");
        }
    }

    #[test]
    fn only_json_bodies_in_utf8_are_accepted() {
        for accepted in [
            "application/json",
            "application/json; charset=utf-8",
            "Application/JSON; charset=UTF-8",
        ] {
            assert!(
                require_json(&with(header::CONTENT_TYPE, accepted)).is_ok(),
                "{accepted}"
            );
        }
        for refused in [
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "application/graphql",
            "application/graphql-response+json",
            "application/json; charset=latin1",
            "json",
        ] {
            let status = require_json(&with(header::CONTENT_TYPE, refused))
                .err()
                .map(|r| r.status);
            assert_eq!(
                status,
                Some(StatusCode::UNSUPPORTED_MEDIA_TYPE),
                "{refused}"
            );
        }
        let status = require_json(&HeaderMap::new()).err().map(|r| r.status);
        assert_eq!(status, Some(StatusCode::UNSUPPORTED_MEDIA_TYPE));
    }
}
