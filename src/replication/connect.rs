//! Where NATS is and how to log in: the URL with its secrets taken out, so nothing that prints
//! a target (our logs, async-nats' own, which print the server address) can print a secret.

use std::path::PathBuf;
use std::time::Duration;

use super::Error;

/// A password or token: printed as `***`, never as itself.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    fn expose(&self) -> String {
        self.0.clone()
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

#[derive(Clone, Debug)]
enum Login {
    None,
    Token(Secret),
    User { user: String, password: Secret },
}

/// A NATS server (or cluster: comma-separated URLs) and the stream to use on it.
#[derive(Clone, Debug)]
pub struct NatsTarget {
    /// The URLs without credentials: safe to print.
    servers: Vec<String>,
    login: Login,
    /// A `.creds` file (JWT and NKey seed), as NATS accounts issue them.
    pub creds: Option<PathBuf>,
    /// A CA certificate (PEM) to verify the server's TLS certificate; turns TLS on.
    pub ca: Option<PathBuf>,
    /// The stream's name; the subject is `<stream>.log`, the snapshots' bucket
    /// `<stream>_snapshots`.
    pub stream: String,
}

impl NatsTarget {
    /// Parses `nats://[user:password@ | token@]host:port[,…]`. Credentials in the URL are
    /// taken out of it here, once.
    pub fn parse(url: &str, stream: &str) -> Result<Self, String> {
        if stream.is_empty()
            || !stream
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(format!(
                "the NATS stream name {stream:?} may hold only letters, digits, - and _"
            ));
        }
        let mut login = Login::None;
        let mut servers = Vec::new();
        for part in url.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (scheme, rest) = match part.split_once("://") {
                Some((scheme, rest)) => (scheme, rest),
                None => ("nats", part),
            };
            if !matches!(scheme, "nats" | "tls" | "ws" | "wss") {
                return Err(format!(
                    "a NATS URL starts with nats://, tls://, ws:// or wss://, not {scheme}://"
                ));
            }
            let host = match rest.rsplit_once('@') {
                Some((userinfo, host)) => {
                    let decoded = |s: &str| percent_decode(s);
                    login = match userinfo.split_once(':') {
                        Some((user, password)) => Login::User {
                            user: decoded(user),
                            password: Secret(decoded(password)),
                        },
                        None => Login::Token(Secret(decoded(userinfo))),
                    };
                    host
                }
                None => rest,
            };
            if !is_host_and_port(host) {
                // Not echoed: a malformed URL is most often a password with a reserved
                // character, which must not reach a log through this message.
                return Err(
                    "the NATS URL is malformed: each server is host or host:port; \
                            percent-encode ',', '@', ':' and '/' inside credentials"
                        .into(),
                );
            }
            servers.push(format!("{scheme}://{host}"));
        }
        if servers.is_empty() {
            return Err("the NATS URL is empty".into());
        }
        Ok(NatsTarget {
            servers,
            login,
            creds: None,
            ca: None,
            stream: stream.to_owned(),
        })
    }

    /// The servers, without credentials.
    pub fn display(&self) -> String {
        self.servers.join(",")
    }

    pub(crate) fn subject(&self) -> String {
        format!("{}.log", self.stream)
    }

    pub(crate) fn bucket(&self) -> String {
        format!("{}_snapshots", self.stream)
    }

    /// Where the writer answers snapshot requests (the CLI's `snapshot`, a replica stuck
    /// behind a gap no snapshot covers).
    pub(crate) fn control_subject(&self) -> String {
        format!("{}.control.snapshot", self.stream)
    }

    /// Connects; once connected, async-nats reconnects on its own for ever. A first attempt
    /// that fails says why (a refused password, an untrusted certificate), for the caller to
    /// log and retry: a NATS that is down at start only delays replication.
    pub(crate) async fn connect(&self, name: &str) -> Result<async_nats::Client, Error> {
        let mut options = async_nats::ConnectOptions::new()
            .name(name)
            .connection_timeout(Duration::from_secs(3))
            .max_reconnects(None);
        options = match &self.login {
            Login::None => options,
            Login::Token(token) => options.token(token.expose()),
            Login::User { user, password } => {
                options.user_and_password(user.clone(), password.expose())
            }
        };
        if let Some(creds) = &self.creds {
            options = options.credentials_file(creds).await.map_err(|e| {
                Error::Nats(format!(
                    "cannot read the credentials file {}: {e}",
                    creds.display()
                ))
            })?;
        }
        if let Some(ca) = &self.ca {
            options = options.add_root_certificates(ca.clone()).require_tls(true);
        }
        options
            .connect(self.servers.join(","))
            .await
            .map_err(Error::nats)
    }
}

/// `host`, `host:port` or `[v6]:port`, with a numeric port.
fn is_host_and_port(text: &str) -> bool {
    let (host, port) = match text.rsplit_once(':') {
        Some((host, port)) if !host.ends_with(':') || host.starts_with('[') => (host, Some(port)),
        _ => (text, None),
    };
    let host_ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '[' | ']' | ':'));
    let port_ok = port.is_none_or(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
    host_ok && port_ok
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = bytes.get(i + 1..i + 3)
            && let Ok(hex) = std::str::from_utf8(hex)
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_are_taken_out_of_the_url_and_never_printed() {
        let target = NatsTarget::parse("nats://app:s%40cret@10.0.0.1:4222", "sg").unwrap();
        assert_eq!(target.display(), "nats://10.0.0.1:4222");
        let printed = format!("{target:?}");
        assert!(!printed.contains("cret"), "{printed}");
        assert!(matches!(&target.login, Login::User { user, password }
            if user == "app" && password.expose() == "s@cret"));
        let token = NatsTarget::parse("tls://t0ken@host:4222,tls://host2:4222", "sg").unwrap();
        assert_eq!(token.display(), "tls://host:4222,tls://host2:4222");
        assert!(!format!("{token:?}").contains("t0ken"));
        assert!(NatsTarget::parse("http://host", "sg").is_err());
        // A password with an unencoded comma would split the URL in two: refused, unechoed.
        let refused = NatsTarget::parse("nats://app:pa,ss@host:4222", "sg").unwrap_err();
        assert!(!refused.contains("pa"), "{refused}");
        assert!(NatsTarget::parse("nats://[::1]:4222", "sg").is_ok());
        assert!(NatsTarget::parse("nats://host", "a.b").is_err());
    }
}
