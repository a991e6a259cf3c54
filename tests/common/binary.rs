//! The real `light-runbook serve` binary as a child process, for tests that
//! need a process of its own (killed and restarted, or two beside each other
//! on one store).

use std::{
    ffi::OsStr,
    io::{BufRead, BufReader},
    process::{Child, Command, Stdio},
};

/// A `light-runbook serve` process, killed (SIGKILL) when dropped.
pub struct Server {
    child: Child,
    /// `http://ADDRESS` of its listener.
    pub base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `serve --no-demo` on port 0 over `store_url`, with `extra`
/// arguments, and returns once it logs its listening address (which it does
/// after start-up, restart recovery included).
pub fn serve<I, S>(store_url: &str, extra: I) -> Server
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    serve_on("127.0.0.1:0", store_url, extra)
}

/// [`serve`] on the address `listen` (the same port again, for a restart).
pub fn serve_on<I, S>(listen: &str, store_url: &str, extra: I) -> Server
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let mut child = Command::new(env!("CARGO_BIN_EXE_light-runbook"))
        .args([
            "serve",
            "--no-demo",
            "--listen",
            listen,
            "--store",
            store_url,
        ])
        .args(extra)
        .env("RUST_LOG", "info")
        .env("NO_COLOR", "1")
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("the server starts");
    let stderr = child.stderr.take().expect("stderr");
    let mut lines = BufReader::new(stderr).lines();
    let address = loop {
        let line = lines
            .next()
            .expect("the server logs its address")
            .expect("a log line");
        if let Some((_, rest)) = line.split_once("address=") {
            break rest
                .split_whitespace()
                .next()
                .expect("an address")
                .to_owned();
        }
    };
    // Keep draining the log so the server never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    Server {
        child,
        base: format!("http://{address}"),
    }
}
