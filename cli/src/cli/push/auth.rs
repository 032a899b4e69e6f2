//! Registry authentication: the `WWW-Authenticate` challenges of a 401 (RFC 9110 §11.6.1), the
//! token service's answer (the Docker token protocol the OCI distribution registries use:
//! `GET realm?service=S&scope=repository:NAME:pull,push`, answered by `{"token": ...}` or
//! `{"access_token": ...}`), and the `Authorization` header values.

use base64::Engine as _;

/// One challenge: its scheme (lowercased) and parameters (names lowercased, values unquoted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Challenge {
    pub scheme: String,
    pub params: Vec<(String, String)>,
}

impl Challenge {
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Every challenge of one `WWW-Authenticate` value, such as
/// `Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a:pull"`
/// or `Basic realm="registry"`; several may be listed, separated by commas. Malformed parts are
/// skipped, never an error (the caller then reports the 401 itself).
pub fn parse_challenges(header: &str) -> Vec<Challenge> {
    let mut lexer = Lexer {
        chars: header.chars().collect(),
        at: 0,
    };
    let mut challenges: Vec<Challenge> = Vec::new();
    loop {
        lexer.skip(|c| c == ',' || c.is_whitespace());
        let Some(word) = lexer.token() else { break };
        lexer.skip(|c| c == ' ' || c == '\t');
        if lexer.peek() == Some('=') {
            // A parameter of the current challenge.
            lexer.bump();
            lexer.skip(|c| c == ' ' || c == '\t');
            let value = if lexer.peek() == Some('"') {
                lexer.quoted()
            } else {
                // A token68 may end in `=` padding; a plain token value ends at `,`.
                lexer.token_while(|c| c != ',' && !c.is_whitespace())
            };
            if let Some(current) = challenges.last_mut() {
                current.params.push((word.to_ascii_lowercase(), value));
            }
        } else {
            challenges.push(Challenge {
                scheme: word.to_ascii_lowercase(),
                params: Vec::new(),
            });
        }
    }
    challenges
}

struct Lexer {
    chars: Vec<char>,
    at: usize,
}

impl Lexer {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek();
        self.at += usize::from(c.is_some());
        c
    }

    fn skip(&mut self, what: impl Fn(char) -> bool) {
        while self.peek().is_some_and(&what) {
            self.at += 1;
        }
    }

    /// The next RFC 9110 token (`tchar`s), skipping characters that cannot start one; None at
    /// the end.
    fn token(&mut self) -> Option<String> {
        loop {
            self.peek()?;
            let word = self.token_while(is_tchar);
            if !word.is_empty() {
                return Some(word);
            }
            self.bump();
        }
    }

    fn token_while(&mut self, what: impl Fn(char) -> bool) -> String {
        let mut word = String::new();
        while let Some(c) = self.peek().filter(|&c| what(c)) {
            word.push(c);
            self.at += 1;
        }
        word
    }

    /// A quoted-string, its backslash escapes undone (an unterminated one ends at the end).
    fn quoted(&mut self) -> String {
        self.bump();
        let mut value = String::new();
        while let Some(c) = self.bump() {
            match c {
                '"' => break,
                '\\' => {
                    if let Some(escaped) = self.bump() {
                        value.push(escaped);
                    }
                }
                c => value.push(c),
            }
        }
        value
    }
}

fn is_tchar(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c)
}

/// `Basic base64(user:password)`.
pub fn basic(username: &str, password: &str) -> String {
    let encoded =
        base64::engine::general_purpose::STANDARD.encode(format!("{username}:{password}"));
    format!("Basic {encoded}")
}

/// The token in a token service's JSON answer (`token`, or OAuth2's `access_token`).
pub fn token_from_response(body: &str) -> Option<String> {
    let doc: serde_json::Value = serde_json::from_str(body).ok()?;
    ["token", "access_token"]
        .iter()
        .find_map(|key| doc.get(key).and_then(|v| v.as_str()))
        .filter(|t| !t.is_empty())
        .map(str::to_string)
}

/// The token request's URL: the realm with `service` and `scope` added as query parameters
/// (percent-encoded), after any query the realm already has.
pub fn token_url(realm: &str, service: Option<&str>, scope: &str) -> String {
    let mut url = realm.to_string();
    let mut separator = if realm.contains('?') { '&' } else { '?' };
    if let Some(service) = service {
        url.push(separator);
        url.push_str("service=");
        url.push_str(&percent_encode(service));
        separator = '&';
    }
    url.push(separator);
    url.push_str("scope=");
    url.push_str(&percent_encode(scope));
    url
}

/// RFC 3986 percent-encoding of everything but unreserved characters.
pub fn percent_encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bearer_challenge_with_quoted_parameters() {
        let c = parse_challenges(
            r#"Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:samalba/my-app:pull,push""#,
        );
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].scheme, "bearer");
        assert_eq!(c[0].param("realm"), Some("https://auth.docker.io/token"));
        assert_eq!(c[0].param("service"), Some("registry.docker.io"));
        // The comma inside the quoted scope does not split it.
        assert_eq!(
            c[0].param("scope"),
            Some("repository:samalba/my-app:pull,push")
        );
    }

    #[test]
    fn several_challenges_tokens_escapes_and_case() {
        let c = parse_challenges(
            r#"basic realm="my \"registry\"" , BEARER Realm=https://t.example/token, error="insufficient_scope", Negotiate abc=="#,
        );
        let schemes: Vec<&str> = c.iter().map(|c| c.scheme.as_str()).collect();
        assert_eq!(schemes, ["basic", "bearer", "negotiate"]);
        assert_eq!(c[0].param("realm"), Some(r#"my "registry""#));
        assert_eq!(c[1].param("realm"), Some("https://t.example/token"));
        assert_eq!(c[1].param("error"), Some("insufficient_scope"));
    }

    #[test]
    fn garbage_gives_no_challenge_and_never_loops() {
        assert!(parse_challenges("").is_empty());
        assert!(parse_challenges(" , ,").is_empty());
        let c = parse_challenges("(((  Bearer realm=\"unterminated");
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].param("realm"), Some("unterminated"));
        // A parameter before any scheme belongs to nothing.
        assert!(parse_challenges("realm=x").is_empty());
    }

    #[test]
    fn token_answers_and_urls() {
        assert_eq!(
            token_from_response(r#"{"token":"abc"}"#).as_deref(),
            Some("abc")
        );
        assert_eq!(
            token_from_response(r#"{"access_token":"xyz","expires_in":60}"#).as_deref(),
            Some("xyz")
        );
        assert_eq!(token_from_response(r#"{"token":""}"#), None);
        assert_eq!(token_from_response("not json"), None);
        assert_eq!(
            token_url(
                "https://t.example/token",
                Some("reg istry"),
                "repository:a/b:pull,push"
            ),
            "https://t.example/token?service=reg%20istry&scope=repository%3Aa%2Fb%3Apull%2Cpush"
        );
        assert_eq!(
            token_url("https://t.example/token?x=1", None, "s"),
            "https://t.example/token?x=1&scope=s"
        );
        assert_eq!(basic("user", "pa:ss"), "Basic dXNlcjpwYTpzcw==");
    }
}
