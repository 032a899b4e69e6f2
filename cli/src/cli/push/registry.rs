//! A client for the parts of the OCI distribution API a push needs (spec v1.1: "Pushing blobs",
//! POST then PUT, monolithic; "Pushing manifests"; `Docker-Content-Digest`), with the registry
//! authentication flow: a 401's `WWW-Authenticate` challenge is answered once, by a token from the
//! `Bearer` realm (with the Basic credentials, if any) or by the Basic credentials themselves.
//! Credentials are only ever sent to the registry's own origin and to the realm it names.

use std::time::Duration;

use super::auth;
use super::reference::Reference;

/// How to authenticate.
pub enum Credentials {
    None,
    /// `--username` and the password read from standard input.
    Basic {
        username: String,
        password: String,
    },
    /// A registry token, sent as `Authorization: Bearer TOKEN`.
    Token(String),
}

/// Why a request failed, by the diagnostic it becomes.
#[derive(Debug)]
pub enum Failure {
    /// The registry cannot be reached (connection, DNS, TLS, timeout).
    Unreachable(String),
    /// The registry (or its token service) refused the credentials: 401 or 403.
    Refused(String),
    /// Any other answer than the one expected.
    Answer(String),
}

/// The parts of an answer the push reads.
pub struct Answer {
    pub status: u16,
    pub location: Option<String>,
    pub digest: Option<String>,
    challenge: Option<String>,
    pub body: String,
}

pub struct Registry {
    agent: ureq::Agent,
    /// `scheme://registry`, no trailing `/`.
    pub origin: String,
    repository: String,
    credentials: Credentials,
    /// The `Authorization` value in use (a bearer token once one was obtained).
    authorization: Option<String>,
}

#[derive(Clone, Copy)]
pub enum Method {
    Head,
    Post,
    Put,
}

impl Registry {
    pub fn new(reference: &Reference, plain_http: bool, credentials: Credentials) -> Registry {
        let scheme = if plain_http { "http" } else { "https" };
        let mut config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(Duration::from_secs(10)))
            .timeout_global(Some(Duration::from_secs(120)))
            .user_agent(concat!("charter/", env!("CARGO_PKG_VERSION")));
        if reference.is_loopback() {
            // Nothing on this machine is reached through a proxy.
            config = config.proxy(None);
        }
        let authorization = match &credentials {
            Credentials::Token(token) => Some(format!("Bearer {token}")),
            _ => None,
        };
        Registry {
            agent: config.build().into(),
            origin: format!("{scheme}://{}", reference.registry),
            repository: reference.repository.clone(),
            credentials,
            authorization,
        }
    }

    /// `origin + path` for a path starting with `/`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.origin)
    }

    /// A `Location` answered by the registry, made absolute.
    pub fn resolve(&self, location: &str) -> String {
        if location.starts_with("http://") || location.starts_with("https://") {
            location.to_string()
        } else if location.starts_with('/') {
            self.url(location)
        } else {
            format!("{}/{location}", self.origin)
        }
    }

    /// One request, authenticating once if the registry answers 401 with a challenge; a 401 or
    /// 403 after that is [`Failure::Refused`]. `what` names the step in messages.
    pub fn exchange(
        &mut self,
        method: Method,
        url: &str,
        content_type: Option<&str>,
        body: &[u8],
        what: &str,
    ) -> Result<Answer, Failure> {
        let first = self.send(method, url, content_type, body)?;
        if first.status != 401 || !self.same_origin(url) {
            return self.refused_if_denied(first, what);
        }
        let challenges = first
            .challenge
            .as_deref()
            .map(auth::parse_challenges)
            .unwrap_or_default();
        self.answer_challenge(&challenges, what)?;
        let second = self.send(method, url, content_type, body)?;
        self.refused_if_denied(second, what)
    }

    fn refused_if_denied(&self, answer: Answer, what: &str) -> Result<Answer, Failure> {
        if matches!(answer.status, 401 | 403) {
            let how = match (&self.credentials, answer.status) {
                (Credentials::None, _) => "without credentials",
                (_, 401) => "with the credentials given",
                _ => "for these credentials (they cannot push to this repository)",
            };
            return Err(Failure::Refused(format!(
                "the registry answered {} to {what} {how}{}",
                answer.status,
                registry_error(&answer.body)
            )));
        }
        Ok(answer)
    }

    /// Sets `authorization` from the first challenge this client can answer.
    fn answer_challenge(
        &mut self,
        challenges: &[auth::Challenge],
        what: &str,
    ) -> Result<(), Failure> {
        let basic = match &self.credentials {
            Credentials::Basic { username, password } => Some(auth::basic(username, password)),
            _ => None,
        };
        if let Some(bearer) = challenges
            .iter()
            .find(|c| c.scheme == "bearer" && c.param("realm").is_some())
            && !matches!(self.credentials, Credentials::Token(_))
        {
            let realm = bearer.param("realm").unwrap_or_default();
            let scope = format!("repository:{}:pull,push", self.repository);
            let url = auth::token_url(realm, bearer.param("service"), &scope);
            let mut request = self.agent.get(&url);
            if let Some(basic) = &basic {
                request = request.header("Authorization", basic);
            }
            let mut response = request.call().map_err(|e| unreachable(&url, &e))?;
            let status = response.status().as_u16();
            let body = response.body_mut().read_to_string().unwrap_or_default();
            if matches!(status, 401 | 403) {
                return Err(Failure::Refused(format!(
                    "the registry's token service ({realm}) answered {status} {}{}",
                    if basic.is_some() {
                        "to the credentials given"
                    } else {
                        "without credentials"
                    },
                    registry_error(&body)
                )));
            }
            if !(200..300).contains(&status) {
                return Err(Failure::Answer(format!(
                    "the registry's token service ({realm}) answered {status}{}",
                    registry_error(&body)
                )));
            }
            let Some(token) = auth::token_from_response(&body) else {
                return Err(Failure::Answer(format!(
                    "the registry's token service ({realm}) answered without a token"
                )));
            };
            self.authorization = Some(format!("Bearer {token}"));
            return Ok(());
        }
        if challenges.iter().any(|c| c.scheme == "basic")
            && let Some(basic) = basic
        {
            self.authorization = Some(basic);
            return Ok(());
        }
        let how = match self.credentials {
            Credentials::None => "and no credentials were given",
            _ => "and the credentials given were refused",
        };
        Err(Failure::Refused(format!(
            "the registry asks to authenticate ({what}) {how}"
        )))
    }

    fn same_origin(&self, url: &str) -> bool {
        url.strip_prefix(&self.origin)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    }

    fn send(
        &self,
        method: Method,
        url: &str,
        content_type: Option<&str>,
        body: &[u8],
    ) -> Result<Answer, Failure> {
        let authorization = self
            .authorization
            .as_deref()
            .filter(|_| self.same_origin(url));
        let result = match method {
            Method::Head => {
                let mut request = self.agent.head(url);
                if let Some(value) = authorization {
                    request = request.header("Authorization", value);
                }
                request.call()
            }
            Method::Post | Method::Put => {
                let mut request = match method {
                    Method::Post => self.agent.post(url),
                    _ => self.agent.put(url),
                };
                if let Some(value) = authorization {
                    request = request.header("Authorization", value);
                }
                if let Some(content_type) = content_type {
                    request = request.header("Content-Type", content_type);
                }
                request.send(body)
            }
        };
        let mut response = result.map_err(|e| unreachable(url, &e))?;
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let location = header("location");
        let digest = header("docker-content-digest");
        let challenge = header("www-authenticate");
        let status = response.status().as_u16();
        let body = if matches!(method, Method::Head) {
            String::new()
        } else {
            response.body_mut().read_to_string().unwrap_or_default()
        };
        Ok(Answer {
            status,
            location,
            digest,
            challenge,
            body,
        })
    }
}

fn unreachable(url: &str, error: &ureq::Error) -> Failure {
    Failure::Unreachable(format!("cannot reach {url}: {error}"))
}

/// `: CODE: message` from a registry's error document (`{"errors": [{"code", "message"}]}`),
/// or nothing.
pub fn registry_error(body: &str) -> String {
    let Ok(doc) = serde_json::from_str::<serde_json::Value>(body) else {
        return String::new();
    };
    let Some(first) = doc
        .get("errors")
        .and_then(|e| e.as_array())
        .and_then(|e| e.first())
    else {
        return String::new();
    };
    let field = |name: &str| first.get(name).and_then(|v| v.as_str()).unwrap_or_default();
    match (field("code"), field("message")) {
        ("", "") => String::new(),
        (code, "") => format!(": {code}"),
        ("", message) => format!(": {message}"),
        (code, message) => format!(": {code}: {message}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_errors_are_summarised() {
        assert_eq!(
            registry_error(
                r#"{"errors":[{"code":"UNAUTHORIZED","message":"authentication required","detail":[]}]}"#
            ),
            ": UNAUTHORIZED: authentication required"
        );
        assert_eq!(registry_error("<html>"), "");
        assert_eq!(registry_error(r#"{"errors":[]}"#), "");
    }

    #[test]
    fn locations_resolve_against_the_registry_and_credentials_stay_there() {
        let reference = super::super::reference::parse("127.0.0.1:5000/a/b:c").unwrap();
        let registry = Registry::new(&reference, true, Credentials::Token("t".into()));
        assert_eq!(
            registry.resolve("/v2/a/b/blobs/uploads/1"),
            "http://127.0.0.1:5000/v2/a/b/blobs/uploads/1"
        );
        assert_eq!(
            registry.resolve("https://s3.example/x?y"),
            "https://s3.example/x?y"
        );
        assert!(registry.same_origin("http://127.0.0.1:5000/v2/"));
        assert!(!registry.same_origin("http://127.0.0.1:50000/v2/"));
        assert!(!registry.same_origin("https://s3.example/x"));
    }
}
