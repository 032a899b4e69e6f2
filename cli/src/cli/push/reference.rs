//! OCI references as `charter bundle push` takes them, and as OPA's bundle `resource` names them:
//! `REGISTRY[:PORT]/REPOSITORY[:TAG]` (`ghcr.io/acme/policies:v3`, `127.0.0.1:5000/charter/summit:rev`).
//!
//! The registry host is always written out (no implicit Docker Hub): a first component is a
//! registry when it has a `.` or a `:`, is `localhost`, or is a bracketed IPv6 address. The
//! repository follows the OCI distribution spec's grammar (`[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*`
//! per `/`-separated component); a tag is `[A-Za-z0-9_][A-Za-z0-9._-]{0,127}` and defaults to
//! `latest`. Pushing by digest (`@sha256:...`) is refused: a push names the tag it moves.

use std::fmt;
use std::net::IpAddr;

/// A parsed reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The registry's authority as written: `host`, `host:port`, `[v6]:port`.
    pub registry: String,
    /// The host alone (no port, no brackets), for the loopback check.
    pub host: String,
    /// The repository (`charter/summit`).
    pub repository: String,
    /// The tag (`latest` when none was written).
    pub tag: String,
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}:{}", self.registry, self.repository, self.tag)
    }
}

impl Reference {
    /// Whether the registry is this machine: `localhost`, 127.0.0.0/8 or `::1`.
    pub fn is_loopback(&self) -> bool {
        self.host.eq_ignore_ascii_case("localhost")
            || self.host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
    }
}

/// The reference `text`, or why it is not one (a sentence).
pub fn parse(text: &str) -> Result<Reference, String> {
    let text = text.strip_prefix("oci://").unwrap_or(text);
    if text.is_empty() {
        return Err("the reference is empty".into());
    }
    if text.contains('@') {
        return Err("a push names a tag, not a digest (`@sha256:...`)".into());
    }
    let Some((registry, rest)) = text.split_once('/') else {
        return Err("the reference has no registry host (`REGISTRY/REPOSITORY[:TAG]`)".into());
    };
    let host = registry_host(registry)?;
    // The tag is after the last `:` of the repository part (the registry's port is before `/`).
    let (repository, tag) = match rest.rsplit_once(':') {
        Some((repository, tag)) => (repository, tag),
        None => (rest, "latest"),
    };
    check_repository(repository)?;
    check_tag(tag)?;
    Ok(Reference {
        registry: registry.to_string(),
        host,
        repository: repository.to_string(),
        tag: tag.to_string(),
    })
}

/// The host of a registry authority, when the text is one.
fn registry_host(registry: &str) -> Result<String, String> {
    let not_a_registry =
        || format!("`{registry}` is not a registry host (the registry is always written out)");
    let (host, port) = if let Some(v6) = registry.strip_prefix('[') {
        let Some((address, after)) = v6.split_once(']') else {
            return Err(format!(
                "`{registry}`: an IPv6 address needs its closing `]`"
            ));
        };
        if address.parse::<std::net::Ipv6Addr>().is_err() {
            return Err(format!("`{address}` is not an IPv6 address"));
        }
        match after {
            "" => (address, None),
            _ => match after.strip_prefix(':') {
                Some(port) => (address, Some(port)),
                None => return Err(not_a_registry()),
            },
        }
    } else {
        match registry.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (registry, None),
        }
    };
    if let Some(port) = port
        && (port.is_empty()
            || !port.bytes().all(|b| b.is_ascii_digit())
            || port.parse::<u16>().is_err())
    {
        return Err(format!("`{port}` is not a port number (1 to 65535)"));
    }
    if port.is_some_and(|p| p.parse::<u16>() == Ok(0)) {
        return Err("port 0 is not a port a registry listens on".into());
    }
    let is_registry = registry.starts_with('[')
        || port.is_some()
        || host.contains('.')
        || host.eq_ignore_ascii_case("localhost");
    if !is_registry {
        return Err(not_a_registry());
    }
    let valid_host = !host.is_empty()
        && host.split('.').all(|label| {
            !label.is_empty()
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
        || registry.starts_with('[');
    if !valid_host {
        return Err(format!("`{host}` is not a host name"));
    }
    Ok(host.to_string())
}

/// The OCI distribution spec's repository name grammar.
fn check_repository(repository: &str) -> Result<(), String> {
    if repository.is_empty() {
        return Err("the reference names no repository".into());
    }
    if repository.len() > 255 {
        return Err("the repository name is longer than 255 characters".into());
    }
    for component in repository.split('/') {
        if !valid_component(component) {
            return Err(format!(
                "`{repository}` is not a repository name: each `/`-separated part is lowercase \
                 letters and digits, joined by `.`, `_`, `__` or dashes"
            ));
        }
    }
    Ok(())
}

/// `[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*`
fn valid_component(component: &str) -> bool {
    let alnum = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit();
    let mut chars = component.chars().peekable();
    loop {
        // A run of letters and digits.
        let mut run = 0;
        while chars.peek().is_some_and(|&c| alnum(c)) {
            chars.next();
            run += 1;
        }
        if run == 0 {
            return false;
        }
        // A separator, then another run; or the end.
        let Some(&sep) = chars.peek() else {
            return true;
        };
        match sep {
            '.' => {
                chars.next();
            }
            '_' => {
                chars.next();
                if chars.peek() == Some(&'_') {
                    chars.next();
                }
            }
            '-' => {
                while chars.peek() == Some(&'-') {
                    chars.next();
                }
            }
            _ => return false,
        }
    }
}

fn check_tag(tag: &str) -> Result<(), String> {
    let mut chars = tag.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
    let rest_ok = chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
    if first_ok && rest_ok && tag.len() <= 128 {
        Ok(())
    } else {
        Err(format!(
            "`{tag}` is not a tag: letters, digits, `_`, `.` and `-`, not starting with `.` or `-`, \
             at most 128 characters"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> Reference {
        parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn registry_repository_and_tag() {
        let r = ok("127.0.0.1:5000/charter/summit:rev");
        assert_eq!(r.registry, "127.0.0.1:5000");
        assert_eq!(r.host, "127.0.0.1");
        assert_eq!(r.repository, "charter/summit");
        assert_eq!(r.tag, "rev");
        assert!(r.is_loopback());
        assert_eq!(r.to_string(), "127.0.0.1:5000/charter/summit:rev");
    }

    #[test]
    fn the_tag_defaults_to_latest_and_oci_prefix_is_dropped() {
        let r = ok("oci://ghcr.io/acme/policies");
        assert_eq!((r.registry.as_str(), r.tag.as_str()), ("ghcr.io", "latest"));
        assert!(!r.is_loopback());
    }

    #[test]
    fn loopback_hosts() {
        assert!(ok("localhost:5000/a:b").is_loopback());
        assert!(ok("LOCALHOST/a").is_loopback());
        assert!(ok("127.8.9.1:1/a").is_loopback());
        let v6 = ok("[::1]:5000/a/b:c");
        assert_eq!(
            (v6.host.as_str(), v6.registry.as_str()),
            ("::1", "[::1]:5000")
        );
        assert!(v6.is_loopback());
        assert!(!ok("[2001:db8::1]/a").is_loopback());
        assert!(!ok("10.0.0.1:5000/a").is_loopback());
        assert!(!ok("localhost.evil.example/a").is_loopback());
    }

    #[test]
    fn repository_components_follow_the_spec() {
        for good in ["a", "a/b", "a.b", "a_b", "a__b", "a---b", "0/9z"] {
            assert!(parse(&format!("r.io/{good}")).is_ok(), "{good}");
        }
        for bad in [
            "A", "a//b", "a/", "/a", "a..b", "a___b", "-a", "a-", "a_", "ä",
        ] {
            assert!(parse(&format!("r.io/{bad}:t")).is_err(), "{bad}");
        }
    }

    #[test]
    fn bad_references_say_why() {
        let cases = [
            ("", "empty"),
            ("summit", "no registry host"),
            ("charter/summit:1", "is not a registry host"),
            ("r.io/a@sha256:00", "not a digest"),
            ("r.io:99999/a", "not a port"),
            ("r.io:/a", "not a port"),
            ("r.io:0/a", "port 0"),
            ("r.io:x/a", "not a port"),
            ("[::1/a", "closing `]`"),
            ("[zz]/a", "not an IPv6"),
            ("r.io/a:", "not a tag"),
            ("r.io/a:-x", "not a tag"),
            ("r.io/a:b/c", "not a tag"),
            ("bad_host.io/a", "not a host name"),
            ("r.io/", "no repository"),
        ];
        for (text, why) in cases {
            let error = parse(text).expect_err(text);
            assert!(error.contains(why), "{text}: {error}");
        }
        let long = format!("r.io/a:{}", "t".repeat(129));
        assert!(parse(&long).is_err());
    }
}
