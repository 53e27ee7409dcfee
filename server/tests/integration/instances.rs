//! Real `server` processes for the scale-out tests: started with their own environment on
//! loopback ports, reached over HTTP, killed with SIGKILL when a test wants a crash.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use reqwest::StatusCode;

use crate::support::{encode_form, PASSWORD};

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port()
}

/// What every instance of one deployment shares.
pub struct Deployment {
    pub database_url: String,
    pub smtp_url: String,
    /// The address partners use (a load balancer would own it); every instance links to it.
    pub public_url: String,
    pub folder: PathBuf,
}

pub struct Instance {
    child: Option<Child>,
    pub port: u16,
    pub name: String,
    stdout: PathBuf,
}

impl Deployment {
    /// Starts one `server` process of this deployment on a free port.
    pub fn start(&self, name: &str) -> Instance {
        let port = free_port();
        let stdout = self.folder.join(format!("{name}.out"));
        let stderr = self.folder.join(format!("{name}.err"));
        let site_root = self.folder.join("site");
        std::fs::create_dir_all(site_root.join("pkg")).expect("site root");
        let child = Command::new(env!("CARGO_BIN_EXE_server"))
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("PORTICO_ADDR", format!("127.0.0.1:{port}"))
            .env("DATABASE_URL", &self.database_url)
            .env("PORTICO_PUBLIC_URL", &self.public_url)
            .env("SMTP_URL", &self.smtp_url)
            .env("PORTICO_SITE_ROOT", &site_root)
            .env("PORTICO_MAIL_DIR", self.folder.join("mail"))
            .env("PORTICO_WORKER_LEASE_SECONDS", "5")
            .env("PORTICO_FORM_LIMIT_PER_MINUTE", "100000")
            .env("PORTICO_SIGN_IN_LIMIT_PER_MINUTE", "1000")
            .env("PORTICO_DB_MAX_CONNECTIONS", "8")
            .env("PORTICO_LOG", "warn")
            .env("PORTICO_SECRET_KEY", crate::support::TEST_SECRET_KEY)
            .stdout(std::fs::File::create(&stdout).expect("stdout file"))
            .stderr(std::fs::File::create(stderr).expect("stderr file"))
            .stdin(Stdio::null())
            .spawn()
            .expect("start the server binary");
        Instance {
            child: Some(child),
            port,
            name: name.to_string(),
            stdout,
        }
    }
}

impl Instance {
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// Waits until `/healthz` answers 200; panics with the instance's log after `limit`.
    pub async fn wait_healthy(&mut self, client: &reqwest::Client, limit: Duration) -> Duration {
        let started = Instant::now();
        loop {
            if let Ok(reply) = client.get(self.url("/healthz")).send().await {
                if reply.status() == StatusCode::OK {
                    return started.elapsed();
                }
            }
            if let Some(child) = self.child.as_mut() {
                if let Ok(Some(status)) = child.try_wait() {
                    panic!(
                        "{} exited ({status}) before it was healthy: {}",
                        self.name,
                        self.log()
                    );
                }
            }
            assert!(
                started.elapsed() < limit,
                "{} was not healthy within {limit:?}: {}",
                self.name,
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// What the process printed (stdout and stderr).
    pub fn log(&self) -> String {
        let err = self.stdout.with_extension("err");
        format!(
            "{}{}",
            std::fs::read_to_string(&self.stdout).unwrap_or_default(),
            std::fs::read_to_string(err).unwrap_or_default()
        )
    }

    /// The one-time setup link the process printed, if any.
    pub fn setup_token(&self) -> Option<String> {
        let out = std::fs::read_to_string(&self.stdout).unwrap_or_default();
        let at = out.find("/setup/")?;
        Some(out[at + "/setup/".len()..].split_whitespace().next()?.to_string())
    }

    /// SIGKILL: no shutdown, no cleanup, as in a crash.
    pub fn kill9(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        self.kill9();
    }
}

/// A person's browser over real HTTP: the session cookie, sent to whichever instance.
#[derive(Clone, Default)]
pub struct Visitor {
    pub cookie: Option<String>,
}

pub struct Answer {
    pub status: StatusCode,
    pub body: String,
}

impl Visitor {
    /// Calls a server function on `instance` as the hydrated page does.
    pub async fn call(
        &mut self,
        client: &reqwest::Client,
        public_url: &str,
        instance: &Instance,
        path: &str,
        form: &[(&str, &str)],
    ) -> Result<Answer, reqwest::Error> {
        let mut request = client
            .post(instance.url(path))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "application/json")
            .header("origin", public_url)
            .header("sec-fetch-site", "same-origin")
            .body(encode_form(form));
        if let Some(cookie) = &self.cookie {
            request = request.header("cookie", format!("__Host-portico={cookie}"));
        }
        let reply = request.send().await?;
        let status = reply.status();
        for set in reply.headers().get_all("set-cookie") {
            if let Some(value) = set.to_str().ok().and_then(|c| c.strip_prefix("__Host-portico=")) {
                self.cookie = Some(value.split(';').next().unwrap_or_default().to_string());
            }
        }
        let body = reply.text().await?;
        Ok(Answer { status, body })
    }

    /// Who this visitor is signed in as on `instance`.
    pub async fn email_on(
        &mut self,
        client: &reqwest::Client,
        public_url: &str,
        instance: &Instance,
    ) -> Option<String> {
        let reply = self
            .call(client, public_url, instance, "/api/site_info", &[])
            .await
            .expect("site_info answers");
        let info: serde_json::Value = serde_json::from_str(&reply.body).expect("json");
        info["viewer"]["email"].as_str().map(str::to_string)
    }
}

/// Creates the first admin through the link `instance` printed; returns the signed-in visitor.
pub async fn first_admin(
    client: &reqwest::Client,
    public_url: &str,
    instance: &Instance,
    email: &str,
) -> Visitor {
    let token = instance.setup_token().expect("a setup link was printed");
    let mut admin = Visitor::default();
    let created = admin
        .call(
            client,
            public_url,
            instance,
            "/api/create_first_admin",
            &[
                ("token", &token),
                ("email", email),
                ("display_name", "Ada Lovelace"),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
            ],
        )
        .await
        .expect("setup answers");
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    admin
}

/// A message the SMTP sink received: its Message-ID, recipient and decoded plain text.
#[derive(Debug, Clone)]
pub struct Received {
    pub message_id: String,
    pub to: String,
    pub text: String,
}

/// Every message in a maildir, decoded enough to read links.
pub fn received(maildir: &Path) -> Vec<Received> {
    let mut all = Vec::new();
    for sub in ["new", "cur"] {
        let Ok(entries) = std::fs::read_dir(maildir.join(sub)) else {
            continue;
        };
        for entry in entries.flatten() {
            let raw = std::fs::read_to_string(entry.path()).unwrap_or_default();
            all.push(parse(&raw));
        }
    }
    all
}

fn parse(raw: &str) -> Received {
    let raw = raw.replace("\r\n", "\n");
    let (head, _) = raw.split_once("\n\n").unwrap_or((&raw, ""));
    let headers = unfold(head);
    let message_id = headers.get("message-id").cloned().unwrap_or_default();
    let to = headers.get("to").cloned().unwrap_or_default();
    Received {
        message_id,
        to,
        text: plain_text(&raw),
    }
}

fn unfold(head: &str) -> HashMap<String, String> {
    let mut headers = HashMap::new();
    let mut last: Option<String> = None;
    for line in head.lines() {
        if line.starts_with([' ', '\t']) {
            if let Some(name) = &last {
                headers
                    .entry(name.clone())
                    .and_modify(|v: &mut String| v.push_str(line.trim_start()));
            }
        } else if let Some((name, value)) = line.split_once(':') {
            let name = name.trim().to_ascii_lowercase();
            headers
                .entry(name.clone())
                .or_insert_with(|| value.trim().to_string());
            last = Some(name);
        }
    }
    headers
}

/// The text/plain part, with its transfer encoding undone.
fn plain_text(raw: &str) -> String {
    let Some(start) = raw.to_ascii_lowercase().find("content-type: text/plain") else {
        return raw.to_string();
    };
    let part = &raw[start..];
    let (head, body) = part.split_once("\n\n").unwrap_or((part, ""));
    let body = body.split("\n--").next().unwrap_or(body);
    let encoding = unfold(head)
        .get("content-transfer-encoding")
        .cloned()
        .unwrap_or_default()
        .to_ascii_lowercase();
    match encoding.as_str() {
        "base64" => {
            let joined: String = body.split_whitespace().collect();
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(joined)
                .unwrap_or_default();
            String::from_utf8_lossy(&bytes).to_string()
        }
        "quoted-printable" => decode_quoted_printable(body),
        _ => body.to_string(),
    }
}

fn decode_quoted_printable(body: &str) -> String {
    let joined = body.replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' && i + 2 < bytes.len() {
            if let Ok(byte) = u8::from_str_radix(&joined[i + 1..i + 3], 16) {
                out.push(byte);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).to_string()
}

/// The path of the first link to `public_url` + `prefix` in `text`.
pub fn link(text: &str, public_url: &str, prefix: &str) -> Option<String> {
    let needle = format!("{public_url}{prefix}");
    let at = text.find(&needle)?;
    let rest = &text[at + public_url.len()..];
    Some(rest.split_whitespace().next()?.to_string())
}
