//! Go names: the module path, each Charter package's directory and package name, and the
//! identifier of every type, constant, client, error type and method. Wire names (JSON members,
//! query parameters) are never renamed: they live in struct tags and string literals.

use std::collections::HashMap;

use charter::ir::{QualName, Type};
use charter::naming::{self, Names};

use crate::sdk::{Module, Sdk, TypeDecl};

/// Identifiers a generated file uses for its imports and locals, which a package-level
/// lowercase name (an import alias, an operation variable) must not take.
const FILE_LOCALS: &[&str] = &[
    "charter", "context", "http", "url", "time", "json", "c", "cl", "data", "plain", "ctx", "chk",
    "q", "req", "v", "u", "p", "path", "params", "options", "status", "header", "body", "b", "e",
    "k", "i",
];

/// Methods the generated records declare, which no field may be called.
pub const METHODS: &[&str] = &["ValidateAt", "Validate", "UnmarshalJSON", "MarshalJSON"];

/// A fresh namespace for one generated file: keywords, predeclared names and the file's
/// locals are taken.
pub fn file_names() -> Names {
    let mut names = Names::default();
    for word in naming::GO
        .iter()
        .chain(naming::GO_PREDECLARED)
        .chain(FILE_LOCALS)
    {
        names.reserve(word);
    }
    for depth in 0..10 {
        for var in ["i", "e", "k"] {
            names.reserve(&format!("{var}{depth}"));
        }
    }
    names
}

/// A field or method namespace: the methods of the generated types are taken.
pub fn member_names() -> Names {
    let mut names = Names::default();
    for m in METHODS {
        names.reserve(m);
    }
    names
}

/// The initialisms Go spells in one case (`EntityID`, `ServeHTTP`): staticcheck's ST1003 list
/// (golint's, with `DB`, `GID`, `TS`, `AMQP`, `RTP`, `SIP`) and `SHA`.
const INITIALISMS: &[&str] = &[
    "ACL", "AMQP", "API", "ASCII", "CPU", "CSS", "DB", "DNS", "EOF", "GID", "GUID", "HTML", "HTTP",
    "HTTPS", "ID", "IP", "JSON", "LHS", "QPS", "RAM", "RHS", "RPC", "RTP", "SHA", "SIP", "SLA",
    "SMTP", "SQL", "SSH", "TCP", "TLS", "TS", "TTL", "UDP", "UI", "UID", "URI", "URL", "UTF8",
    "UUID", "VM", "XML", "XMPP", "XSRF", "XSS",
];

/// One word of an exported identifier: an initialism upper-cased, also with a number after it
/// (`sha256` → `SHA256`) or as a plural (`ids` → `IDs`); any other word capitalised.
fn go_word(word: &str) -> String {
    let upper = word.to_ascii_uppercase();
    let stem = upper.trim_end_matches(|c: char| c.is_ascii_digit());
    if INITIALISMS.contains(&stem) {
        return upper;
    }
    if let Some(stem) = upper.strip_suffix('S')
        && word.ends_with('s')
        && INITIALISMS.contains(&stem)
    {
        return format!("{stem}s");
    }
    naming::capitalise(word)
}

/// An exported identifier: the words of `name` in PascalCase, initialisms in one case
/// (`entity_id` → `EntityID`, `api_url` → `APIURL`; `X` when no word is left).
pub fn exported(name: &str) -> String {
    let out: String = naming::words(name).into_iter().map(go_word).collect();
    match out.chars().next() {
        Some(c) if c.is_ascii_uppercase() => out,
        Some(_) => format!("X{out}"),
        None => "X".to_string(),
    }
}

/// A directory or package name segment: lowercase letters and digits, never a keyword or
/// predeclared name, never one the go tool ignores or treats specially.
pub fn segment(part: &str) -> String {
    let mut out: String = part
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'p');
    }
    let special = ["internal", "vendor", "testdata", "charter", "main"];
    if naming::GO.contains(&out.as_str())
        || naming::GO_PREDECLARED.contains(&out.as_str())
        || special.contains(&out.as_str())
    {
        out.push_str("pkg");
    }
    out
}

/// The Go module path: `go_module` when set, else the SDK name with `@` dropped and every
/// character a module path does not allow replaced by `-` (`@acme/summit-sdk` → `acme/summit-sdk`).
pub fn module_path(sdk: &Sdk<'_>, go_module: Option<&str>) -> String {
    if let Some(path) = go_module {
        return path.to_string();
    }
    let base = sdk.name.trim_start_matches('@');
    let out: String = base
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '~' | '/') {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let out = out.trim_matches('/').to_string();
    if out.is_empty() {
        "sdk".to_string()
    } else {
        out
    }
}

/// Where each module lives and what it is called.
#[derive(Debug, Default)]
pub struct GoNames<'m> {
    /// Per module (same order as `Sdk::modules`): its directory below the module root.
    pub dirs: Vec<String>,
    /// Per module: its package name (the directory's last segment).
    pub packages: Vec<String>,
    dir_of: HashMap<String, usize>,
    types: HashMap<QualName, String>,
    aliases: HashMap<QualName, &'m Type>,
}

impl<'m> GoNames<'m> {
    /// Directories and the type names of every module (types are claimed first, so a type
    /// keeps its name whatever clients and errors are added later).
    pub fn new(sdk: &Sdk<'m>, files: &mut [Names]) -> Self {
        let mut out = GoNames::default();
        let mut dirs = Names::default();
        dirs.reserve("charter");
        for (i, module) in sdk.modules.iter().enumerate() {
            let wanted: Vec<String> = module.package.split('.').map(segment).collect();
            let dir = dirs.claim(&wanted.join("/")).replace('_', "");
            let package = dir.rsplit('/').next().unwrap_or("p").to_string();
            out.dir_of.insert(module.package.to_string(), i);
            out.dirs.push(dir);
            out.packages.push(package);
            for decl in &module.types {
                if let TypeDecl::Alias(a) = decl {
                    out.aliases.insert(a.name.clone(), &a.ty);
                }
            }
            if let Some(names) = files.get_mut(i) {
                claim_types(&mut out.types, module, names);
            }
        }
        out
    }

    /// The identifier of a declared type in its own package.
    pub fn ty(&self, name: &QualName) -> &str {
        self.types.get(name).map_or("X", String::as_str)
    }

    /// The target of an alias (a Go type alias, checked as its target).
    pub fn alias(&self, name: &QualName) -> Option<&'m Type> {
        self.aliases.get(name).copied()
    }

    /// The index of a package's module.
    pub fn module_of(&self, package: &str) -> Option<usize> {
        self.dir_of.get(package).copied()
    }
}

fn claim_types(types: &mut HashMap<QualName, String>, module: &Module<'_>, names: &mut Names) {
    for decl in &module.types {
        let name = decl.name();
        types.insert(name.clone(), names.claim(&exported(&name.name)));
    }
}
