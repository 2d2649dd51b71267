//! The development SMTP server (`deploy/mail/server.mjs`, Nodemailer's smtp-server) as a child
//! process: a real relay that keeps every message, for the email tests and the benchmark.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, BufReader};

/// One message as the server's index lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Delivered {
    pub accepted_at_ms: u64,
    pub message_id: String,
    pub recipient: String,
}

/// A running mailbox on a loopback port, keeping mail in its own directory.
#[derive(Debug)]
pub struct Mailbox {
    port: u16,
    dir: PathBuf,
    reject: Option<String>,
    defer: Option<String>,
    child: Option<tokio::process::Child>,
}

fn repository_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

impl Mailbox {
    /// Starts a mailbox in a fresh directory.
    pub async fn start() -> Self {
        Self::start_with(None, None).await
    }

    /// A mailbox that refuses recipients matching `reject` for good (550) and those matching
    /// `defer` for now (451).
    pub async fn start_with(reject: Option<&str>, defer: Option<&str>) -> Self {
        let dir = std::env::temp_dir().join(format!("tyndau-mail-{}", uuid::Uuid::now_v7().simple()));
        std::fs::create_dir_all(&dir).expect("a temporary directory");
        let mut mailbox = Self {
            port: 0,
            dir,
            reject: reject.map(str::to_owned),
            defer: defer.map(str::to_owned),
            child: None,
        };
        mailbox.start_on_free_port().await;
        mailbox
    }

    /// The relay URL for the notifier.
    pub fn smtp_url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The server's process id, for CPU and memory figures.
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().and_then(tokio::process::Child::id)
    }

    async fn start_on_free_port(&mut self) {
        for _ in 0..5 {
            let port = std::net::TcpListener::bind("127.0.0.1:0")
                .and_then(|l| l.local_addr())
                .expect("a free port")
                .port();
            if self.spawn_on(port).await {
                return;
            }
        }
        panic!("the mailbox did not start:\n{}", self.log());
    }

    /// Starts the server on `port`; `false` when it exited (the port was taken).
    async fn spawn_on(&mut self, port: u16) -> bool {
        let script = repository_root().join("deploy/mail/server.mjs");
        assert!(
            repository_root()
                .join("deploy/mail/node_modules/smtp-server")
                .is_dir(),
            "deploy/mail/node_modules is missing: run `npm ci` in deploy/mail (scripts/test.sh does it)"
        );
        let mut command = tokio::process::Command::new("node");
        command
            .arg("--title=tyndau-mailbox")
            .arg(script)
            .arg("--port")
            .arg(port.to_string())
            .arg("--dir")
            .arg(&self.dir);
        if let Some(reject) = &self.reject {
            command.arg("--reject").arg(reject);
        }
        if let Some(defer) = &self.defer {
            command.arg("--defer").arg(defer);
        }
        let log = std::fs::File::create(self.dir.join("server.log")).expect("a log file");
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log)
            .kill_on_drop(true)
            .spawn()
            .expect("node starts (apt-get install nodejs)");
        let stdout = child.stdout.take().expect("piped stdout");
        let mut lines = BufReader::new(stdout).lines();
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let line = tokio::time::timeout(Duration::from_millis(200), lines.next_line()).await;
            match line {
                Ok(Ok(Some(line))) if line.starts_with("mailbox: SMTP on") => {
                    // Keep draining stdout so the server never blocks on a full pipe.
                    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
                    self.port = port;
                    self.child = Some(child);
                    return true;
                }
                Ok(Ok(None)) => return false,
                _ if child.try_wait().ok().flatten().is_some() => return false,
                _ => assert!(
                    Instant::now() < deadline,
                    "the mailbox did not start:\n{}",
                    self.log()
                ),
            }
        }
    }

    /// Stops the server (its mail stays); the relay is then unreachable.
    pub async fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill().await;
        }
    }

    /// Starts it again on the same port with the same store.
    pub async fn restart(&mut self) {
        self.stop().await;
        let port = self.port;
        let deadline = Instant::now() + Duration::from_secs(10);
        while !self.spawn_on(port).await {
            assert!(
                Instant::now() < deadline,
                "the mailbox did not start again on {port}:\n{}",
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Every message kept, in the order accepted.
    pub fn delivered(&self) -> Vec<Delivered> {
        let index = std::fs::read_to_string(self.dir.join("index.tsv")).unwrap_or_default();
        index
            .lines()
            .filter_map(|line| {
                let mut fields = line.split('\t');
                Some(Delivered {
                    accepted_at_ms: fields.next()?.parse().ok()?,
                    message_id: fields.next()?.to_owned(),
                    recipient: fields.next()?.to_owned(),
                })
            })
            .collect()
    }

    /// Messages sent again with a Message-ID already kept (each such attempt once).
    pub fn redelivered(&self) -> usize {
        std::fs::read_to_string(self.dir.join("redelivered.tsv"))
            .unwrap_or_default()
            .lines()
            .count()
    }

    /// The whole store (mboxrd), for reading messages' headers and bodies.
    pub fn mbox(&self) -> String {
        std::fs::read_to_string(self.dir.join("mail.mbox")).unwrap_or_default()
    }

    /// The messages to `recipient`, each as its raw text.
    pub fn messages_to(&self, recipient: &str) -> Vec<String> {
        let mbox = self.mbox();
        let mut messages = Vec::new();
        let mut current = String::new();
        for line in mbox.split_inclusive('\n') {
            if line.starts_with("From ") && !current.is_empty() {
                messages.push(std::mem::take(&mut current));
            }
            current.push_str(line);
        }
        if !current.is_empty() {
            messages.push(current);
        }
        let to = format!("To: {recipient}");
        messages
            .into_iter()
            .filter(|m| {
                m.lines()
                    .any(|l| l.eq_ignore_ascii_case(&to) || l.ends_with(&format!("<{recipient}>")))
            })
            .collect()
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("server.log")).unwrap_or_default()
    }
}

impl Drop for Mailbox {
    fn drop(&mut self) {
        if let Some(child) = self.child.as_mut() {
            let _ = child.start_kill();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
