//! Reading a `Charter-Verdict` header: an RFC 9651 dictionary parser (§4.2.2, every bare item
//! type) and the verdict it must hold. The reference for the SDK runtimes' parsers
//! (`codegen/src/sdk/typescript/runtime/verdict.ts`): the test vectors hold both answers.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD_NO_PAD;

/// A bare item of a structured field.
#[derive(Debug, Clone, PartialEq)]
pub enum BareItem {
    Integer(i64),
    Decimal(f64),
    String(String),
    Token(String),
    Bytes(Vec<u8>),
    Boolean(bool),
    Date(i64),
    Display(String),
}

/// A dictionary member: an item or an inner list (parameters are read and dropped).
#[derive(Debug, Clone, PartialEq)]
pub enum Member {
    Item(BareItem),
    InnerList(Vec<BareItem>),
}

/// The verdict a `Charter-Verdict` header holds (`std.verdict.Verdict`).
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    pub allow: bool,
    pub decider: String,
    pub rule_id: String,
    pub reason: String,
    /// `policy_version`, when sent.
    pub policy: Option<String>,
    pub confidence: Option<f64>,
    pub canary: Option<Vec<String>>,
}

struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

type Parse<T> = Result<T, String>;

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }
    fn bump(&mut self) -> Option<u8> {
        let b = self.peek();
        self.pos += 1;
        b
    }
    fn at_end(&self) -> bool {
        self.pos >= self.bytes.len()
    }
    fn skip_sp(&mut self) {
        while self.peek() == Some(b' ') {
            self.pos += 1;
        }
    }
    fn skip_ows(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.pos += 1;
        }
    }
    fn fail<T>(&self, what: &str) -> Parse<T> {
        Err(format!("{what} at offset {}", self.pos))
    }
}

/// Parses an RFC 9651 dictionary, refusing anything the RFC refuses; a later duplicate key
/// replaces the earlier one.
pub fn parse_dictionary(input: &str) -> Parse<Vec<(String, Member)>> {
    let mut c = Cursor {
        bytes: input.as_bytes(),
        pos: 0,
    };
    let mut out: Vec<(String, Member)> = Vec::new();
    c.skip_sp();
    while !c.at_end() {
        let key = key(&mut c)?;
        let member = if c.peek() == Some(b'=') {
            c.pos += 1;
            item_or_inner_list(&mut c)?
        } else {
            parameters(&mut c)?;
            Member::Item(BareItem::Boolean(true))
        };
        out.retain(|(k, _)| *k != key);
        out.push((key, member));
        c.skip_ows();
        if c.at_end() {
            return Ok(out);
        }
        if c.bump() != Some(b',') {
            return c.fail("expected `,` after a dictionary member");
        }
        c.skip_ows();
        if c.at_end() {
            return c.fail("trailing `,`");
        }
    }
    Ok(out)
}

fn key(c: &mut Cursor) -> Parse<String> {
    match c.peek() {
        Some(b) if b.is_ascii_lowercase() || b == b'*' => {}
        _ => return c.fail("expected a key"),
    }
    let mut out = String::new();
    while let Some(b) = c.peek() {
        if !(b.is_ascii_lowercase() || b.is_ascii_digit() || b"_-.*".contains(&b)) {
            break;
        }
        out.push(char::from(b));
        c.pos += 1;
    }
    Ok(out)
}

fn item_or_inner_list(c: &mut Cursor) -> Parse<Member> {
    if c.peek() != Some(b'(') {
        let item = bare_item(c)?;
        parameters(c)?;
        return Ok(Member::Item(item));
    }
    c.pos += 1;
    let mut list = Vec::new();
    loop {
        c.skip_sp();
        match c.peek() {
            None => return c.fail("unclosed inner list"),
            Some(b')') => {
                c.pos += 1;
                parameters(c)?;
                return Ok(Member::InnerList(list));
            }
            Some(_) => {
                list.push(bare_item(c)?);
                parameters(c)?;
                if !matches!(c.peek(), Some(b' ' | b')')) {
                    return c.fail("expected a space or `)` in an inner list");
                }
            }
        }
    }
}

fn parameters(c: &mut Cursor) -> Parse<()> {
    while c.peek() == Some(b';') {
        c.pos += 1;
        c.skip_sp();
        key(c)?;
        if c.peek() == Some(b'=') {
            c.pos += 1;
            bare_item(c)?;
        }
    }
    Ok(())
}

fn bare_item(c: &mut Cursor) -> Parse<BareItem> {
    match c.peek() {
        Some(b'-' | b'0'..=b'9') => number(c),
        Some(b'"') => string(c).map(BareItem::String),
        Some(b) if b.is_ascii_alphabetic() || b == b'*' => Ok(BareItem::Token(token(c))),
        Some(b':') => bytes(c).map(BareItem::Bytes),
        Some(b'?') => {
            c.pos += 1;
            match c.bump() {
                Some(b'1') => Ok(BareItem::Boolean(true)),
                Some(b'0') => Ok(BareItem::Boolean(false)),
                _ => c.fail("a boolean is `?1` or `?0`"),
            }
        }
        Some(b'@') => {
            c.pos += 1;
            match number(c)? {
                BareItem::Integer(n) => Ok(BareItem::Date(n)),
                _ => c.fail("a date must be an integer"),
            }
        }
        Some(b'%') => display_string(c).map(BareItem::Display),
        _ => c.fail("expected a bare item"),
    }
}

fn number(c: &mut Cursor) -> Parse<BareItem> {
    let mut text = String::new();
    if c.peek() == Some(b'-') {
        c.pos += 1;
        text.push('-');
    }
    if !c.peek().is_some_and(|b| b.is_ascii_digit()) {
        return c.fail("expected a digit");
    }
    let mut digits = 0usize;
    let mut decimal = false;
    while let Some(b) = c.peek() {
        if b.is_ascii_digit() {
            digits += 1;
        } else if b == b'.' && !decimal {
            if digits > 12 {
                return c.fail("too many integer digits in a decimal");
            }
            decimal = true;
            digits += 1;
        } else {
            break;
        }
        text.push(char::from(b));
        c.pos += 1;
        if !decimal && digits > 15 {
            return c.fail("an integer has at most 15 digits");
        }
        if decimal && digits > 16 {
            return c.fail("a decimal has at most 16 characters");
        }
    }
    if !decimal {
        return text
            .parse()
            .map(BareItem::Integer)
            .or_else(|_| c.fail("bad integer"));
    }
    let fraction = text.split_once('.').map_or(0, |(_, f)| f.len());
    if fraction == 0 {
        return c.fail("a decimal needs a fraction");
    }
    if fraction > 3 {
        return c.fail("a decimal has at most 3 fraction digits");
    }
    text.parse()
        .map(BareItem::Decimal)
        .or_else(|_| c.fail("bad decimal"))
}

fn string(c: &mut Cursor) -> Parse<String> {
    c.pos += 1;
    let mut out = String::new();
    loop {
        match c.bump() {
            None => return c.fail("unclosed string"),
            Some(b'\\') => match c.bump() {
                Some(b @ (b'"' | b'\\')) => out.push(char::from(b)),
                _ => return c.fail("bad escape in a string"),
            },
            Some(b'"') => return Ok(out),
            Some(b @ 0x20..=0x7e) => out.push(char::from(b)),
            Some(_) => return c.fail("a string holds only printable ASCII"),
        }
    }
}

fn token(c: &mut Cursor) -> String {
    let mut out = String::new();
    if let Some(first) = c.bump() {
        out.push(char::from(first));
    }
    while let Some(b) = c.peek() {
        if !(b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~:/".contains(&b)) {
            break;
        }
        out.push(char::from(b));
        c.pos += 1;
    }
    out
}

fn bytes(c: &mut Cursor) -> Parse<Vec<u8>> {
    c.pos += 1;
    let mut text = String::new();
    loop {
        match c.bump() {
            None => return c.fail("unclosed byte sequence"),
            Some(b':') => break,
            Some(b) if b.is_ascii_alphanumeric() || b"+/=".contains(&b) => text.push(char::from(b)),
            Some(_) => return c.fail("bad character in a byte sequence"),
        }
    }
    STANDARD_NO_PAD
        .decode(text.trim_end_matches('='))
        .or_else(|_| c.fail("bad base64 in a byte sequence"))
}

fn display_string(c: &mut Cursor) -> Parse<String> {
    c.pos += 1;
    if c.bump() != Some(b'"') {
        return c.fail("expected `\"` after `%`");
    }
    let mut out = Vec::new();
    loop {
        match c.bump() {
            None => return c.fail("unclosed display string"),
            Some(b'%') => {
                let hex = [c.bump(), c.bump()];
                let digit = |b: Option<u8>| match b {
                    Some(d @ b'0'..=b'9') => Some(d - b'0'),
                    Some(d @ b'a'..=b'f') => Some(d - b'a' + 10),
                    _ => None,
                };
                match (digit(hex[0]), digit(hex[1])) {
                    (Some(h), Some(l)) => out.push(h * 16 + l),
                    _ => return c.fail("expected two lowercase hex digits after `%`"),
                }
            }
            Some(b'"') => {
                return String::from_utf8(out)
                    .or_else(|_| c.fail("a display string must be UTF-8"));
            }
            Some(b @ 0x20..=0x7e) => out.push(b),
            Some(_) => return c.fail("a display string holds only printable ASCII"),
        }
    }
}

fn text(member: Option<&Member>) -> Option<String> {
    match member {
        Some(Member::Item(BareItem::String(s) | BareItem::Display(s))) => Some(s.clone()),
        _ => None,
    }
}

/// The verdict in a `Charter-Verdict` header value: a boolean `allow`, strings `decider`,
/// `rule_id` and `reason`, optional `policy_version` (string), `confidence` (number) and
/// `canary` (inner list of strings); unknown members are ignored.
pub fn parse_verdict(header: &str) -> Parse<Verdict> {
    let dict = parse_dictionary(header)?;
    let get = |key: &str| dict.iter().find(|(k, _)| k == key).map(|(_, m)| m);
    let Some(Member::Item(BareItem::Boolean(allow))) = get("allow") else {
        return Err("`allow` must be a boolean".into());
    };
    let required = |key: &str| text(get(key)).ok_or(format!("`{key}` must be a string"));
    let mut verdict = Verdict {
        allow: *allow,
        decider: required("decider")?,
        rule_id: required("rule_id")?,
        reason: required("reason")?,
        policy: None,
        confidence: None,
        canary: None,
    };
    if get("policy_version").is_some() {
        verdict.policy = Some(required("policy_version")?);
    }
    match get("confidence") {
        None => {}
        Some(Member::Item(BareItem::Decimal(n))) => verdict.confidence = Some(*n),
        #[expect(
            clippy::cast_precision_loss,
            reason = "an RFC 9651 integer has at most 15 digits, exact in an f64"
        )]
        Some(Member::Item(BareItem::Integer(n))) => verdict.confidence = Some(*n as f64),
        Some(_) => return Err("`confidence` must be a number".into()),
    }
    match get("canary") {
        None => {}
        Some(Member::InnerList(items)) => {
            let mut names = Vec::new();
            for item in items {
                match item {
                    BareItem::String(s) | BareItem::Display(s) => names.push(s.clone()),
                    _ => return Err("`canary` must be an inner list of strings".into()),
                }
            }
            verdict.canary = Some(names);
        }
        Some(_) => return Err("`canary` must be an inner list of strings".into()),
    }
    Ok(verdict)
}
