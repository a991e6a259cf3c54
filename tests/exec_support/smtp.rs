//! A loopback SMTP receiver for the tests: enough of RFC 5321 for one client
//! at a time (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT, no extensions
//! beyond 8BITMIME), recording every message it accepts.

use tokio::{
    io::{AsyncBufReadExt, AsyncWriteExt, BufReader},
    net::{TcpListener, TcpStream},
    sync::watch,
};

/// One message as the relay received it.
#[derive(Debug, Clone)]
pub struct Mail {
    /// The envelope sender and recipients (not the headers).
    pub from: String,
    pub to: Vec<String>,
    /// Headers and body, dot-unstuffed, lines joined with `\r\n`.
    pub data: String,
}

impl Mail {
    /// The message with its quoted-printable body decoded (soft line
    /// breaks joined, `=XX` turned back into its byte), as a reader sees it.
    pub fn decoded(&self) -> String {
        let joined = self.data.replace("=\r\n", "");
        let bytes = joined.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok());
            match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
                (b'=', Some(byte)) => {
                    out.push(byte);
                    i += 3;
                }
                (byte, _) => {
                    out.push(byte);
                    i += 1;
                }
            }
        }
        String::from_utf8_lossy(&out).into_owned()
    }
}

/// The receiver, listening on 127.0.0.1.
pub struct SmtpSink {
    pub port: u16,
    mails: watch::Receiver<Vec<Mail>>,
}

impl SmtpSink {
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let port = listener.local_addr().expect("address").port();
        let (sender, mails) = watch::channel(Vec::new());
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                session(stream, &sender).await;
            }
        });
        Self { port, mails }
    }

    /// Waits until `n` messages have arrived; all of them.
    pub async fn received(&self, n: usize) -> Vec<Mail> {
        let mut mails = self.mails.clone();
        let got = mails
            .wait_for(|m| m.len() >= n)
            .await
            .expect("the relay runs");
        got.clone()
    }
}

/// The address inside `<…>` of a MAIL or RCPT argument.
fn address(argument: &str) -> String {
    let start = argument.find('<').map_or(0, |i| i + 1);
    let end = argument.find('>').unwrap_or(argument.len());
    argument[start..end].to_owned()
}

async fn session(stream: TcpStream, mails: &watch::Sender<Vec<Mail>>) {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read).lines();
    let mut reply = async |text: &str| write.write_all(text.as_bytes()).await.is_ok();
    if !reply("220 sink ESMTP ready\r\n").await {
        return;
    }
    let (mut from, mut to) = (String::new(), Vec::new());
    while let Ok(Some(line)) = lines.next_line().await {
        let verb = line.get(..4).unwrap_or("").to_ascii_uppercase();
        let answer = match verb.as_str() {
            "EHLO" | "HELO" => "250-sink\r\n250 8BITMIME\r\n",
            "MAIL" => {
                from = address(&line);
                "250 OK\r\n"
            }
            "RCPT" => {
                to.push(address(&line));
                "250 OK\r\n"
            }
            "DATA" => {
                if !reply("354 go ahead\r\n").await {
                    return;
                }
                let mut data = Vec::new();
                while let Ok(Some(line)) = lines.next_line().await {
                    if line == "." {
                        break;
                    }
                    data.push(line.strip_prefix('.').map_or(line.clone(), str::to_owned));
                }
                let mail = Mail {
                    from: std::mem::take(&mut from),
                    to: std::mem::take(&mut to),
                    data: data.join("\r\n"),
                };
                mails.send_modify(|m| m.push(mail));
                "250 queued\r\n"
            }
            "RSET" => {
                (from, to) = (String::new(), Vec::new());
                "250 OK\r\n"
            }
            "NOOP" => "250 OK\r\n",
            "QUIT" => {
                reply("221 bye\r\n").await;
                return;
            }
            _ => "502 not implemented\r\n",
        };
        if !reply(answer).await {
            return;
        }
    }
}
