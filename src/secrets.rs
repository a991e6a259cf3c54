//! Secrets given as files (`--jwt-hs256-secret-file`, `--alert-secret-file`,
//! `--store-password-file`, `--metrics-token-file`), so they need not appear
//! on a command line, where `ps` shows them to every user of the machine.
//!
//! A file holds the secret alone; one trailing line ending is not part of
//! it. An unreadable or empty file is an error at start, never an empty
//! secret.

use std::path::Path;

use anyhow::Context;

/// The secret in `path`, without its trailing line ending.
pub fn read_secret_file(path: &Path) -> anyhow::Result<String> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the secret file {}", path.display()))?;
    let secret = text
        .strip_suffix('\n')
        .map_or(text.as_str(), |s| s.strip_suffix('\r').unwrap_or(s));
    if secret.is_empty() {
        anyhow::bail!("the secret file {} is empty", path.display());
    }
    Ok(secret.to_owned())
}

/// A secret given either as a value or as a file (the flags conflict, so
/// not both), or neither.
pub fn value_or_file(value: Option<&str>, file: Option<&Path>) -> anyhow::Result<Option<String>> {
    match (value, file) {
        (Some(value), _) => Ok(Some(value.to_owned())),
        (None, Some(path)) => read_secret_file(path).map(Some),
        (None, None) => Ok(None),
    }
}

/// `url` with `password` as its password. The URL must name a user and have
/// no password of its own: two passwords would leave one of them unused.
pub fn url_with_password(url: &str, password: &str) -> anyhow::Result<String> {
    let mut parsed = url::Url::parse(url).context("the store URL does not parse")?;
    if parsed.password().is_some() {
        anyhow::bail!("the store URL has a password already; give it in one place only");
    }
    if parsed.username().is_empty() {
        anyhow::bail!(
            "a store password needs a store URL with a user name, like postgres://USER@HOST/DB"
        );
    }
    // `set_password` percent-encodes what the URL syntax needs encoded.
    parsed
        .set_password(Some(password))
        .map_err(|()| anyhow::anyhow!("a {} store URL takes no password", parsed.scheme()))?;
    Ok(parsed.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &[u8]) -> tempfile::NamedTempFile {
        let file = tempfile::NamedTempFile::new().expect("temp file");
        std::fs::write(file.path(), text).expect("written");
        file
    }

    #[test]
    fn a_secret_file_loses_one_trailing_line_ending_and_nothing_else() {
        for (text, secret) in [
            (&b"s3cret"[..], "s3cret"),
            (b"s3cret\n", "s3cret"),
            (b"s3cret\r\n", "s3cret"),
            (b"s3cret\n\n", "s3cret\n"),
            (b" s3cret \n", " s3cret "),
        ] {
            let f = file(text);
            assert_eq!(
                read_secret_file(f.path()).expect("read"),
                secret,
                "{text:?}"
            );
        }
    }

    #[test]
    fn an_empty_or_unreadable_secret_file_is_an_error_naming_it() {
        for text in [&b""[..], b"\n", b"\r\n"] {
            let f = file(text);
            let err = read_secret_file(f.path()).unwrap_err().to_string();
            assert!(err.contains("is empty"), "{err}");
            assert!(err.contains(&f.path().display().to_string()), "{err}");
        }
        let missing = Path::new("/nonexistent/secret");
        let err = format!("{:#}", read_secret_file(missing).unwrap_err());
        assert!(
            err.contains("cannot read the secret file /nonexistent/secret"),
            "{err}"
        );
        let not_utf8 = file(&[0xff, 0xfe, 0x00]);
        assert!(read_secret_file(not_utf8.path()).is_err());
    }

    #[test]
    fn a_store_password_is_set_percent_encoded_into_a_url_with_a_user() {
        let url = url_with_password("postgres://runbook@db:5432/runbooks", "p@ss:w/rd").unwrap();
        assert_eq!(url, "postgres://runbook:p%40ss%3Aw%2Frd@db:5432/runbooks");
        let parsed = url::Url::parse(&url).unwrap();
        let decoded = percent_encoding::percent_decode_str(parsed.password().unwrap());
        assert_eq!(decoded.decode_utf8().unwrap(), "p@ss:w/rd");
    }

    #[test]
    fn a_store_password_is_refused_where_it_cannot_be_used() {
        for (url, problem) in [
            (
                "postgres://runbook:other@db/runbooks",
                "has a password already",
            ),
            (
                "postgres://db/runbooks",
                "needs a store URL with a user name",
            ),
            ("sqlite://runbooks.db", "needs a store URL with a user name"),
            ("not a url", "does not parse"),
        ] {
            let err = format!("{:#}", url_with_password(url, "pw").unwrap_err());
            assert!(err.contains(problem), "{url}: {err}");
        }
    }
}
