//! Python names: the distribution and import package names, each Charter package's
//! subpackage, and the identifier of every class, enum member, field and method. Wire names
//! (JSON members, query parameters) are never renamed: they live in string literals.

use std::collections::HashMap;
use std::sync::LazyLock;

use charter::ir::{QualName, Type};
use charter::naming::{self, Names};

use crate::sdk::{Sdk, TypeDecl};

/// Module-level names a generated module uses for its imports; a class never takes one.
pub const MODULE_LOCALS: &[&str] = &[
    "annotations",
    "dataclasses",
    "datetime",
    "decimal",
    "enum",
    "typing",
    "warnings",
    "_charter",
];

/// Names a field of a generated record never takes: the methods the records declare, the
/// parameters of `__init__`, and the builtins and modules the class body's annotations name
/// (a field called `list` would shadow `list[str]` in the same class).
pub const MEMBER_RESERVED: &[&str] = &[
    "to_json",
    "from_json",
    "validate",
    "validate_at",
    "self",
    "cls",
    "bool",
    "int",
    "float",
    "str",
    "bytes",
    "list",
    "dict",
    "object",
    "datetime",
    "decimal",
    "typing",
    "dataclasses",
    "enum",
    "_charter",
    // pycodestyle's ambiguous names (E741), which `ruff check` reports.
    "l",
    "O",
    "I",
];

/// A fresh module namespace: keywords, builtins and the module's imports are taken.
pub fn module_names() -> Names {
    static MODULE: LazyLock<Names> = LazyLock::new(new_module_names);
    MODULE.clone()
}

fn new_module_names() -> Names {
    let mut names = Names::default();
    for word in naming::PYTHON
        .iter()
        .chain(naming::PYTHON_BUILTINS)
        .chain(MODULE_LOCALS)
        .chain(["l", "O", "I"].iter())
    {
        names.reserve(word);
    }
    names
}

/// Claims a field's name in a [`member_names`] namespace: its snake_case, with `_` appended
/// when that is reserved (`str` → `str_`, `class` → `class_`), `_2`, `_3` on collisions.
pub fn claim_member(members: &mut Names, wire: &str) -> String {
    let wanted = snake(wire);
    if MEMBER_RESERVED.contains(&wanted.as_str()) {
        members.claim(&format!("{wanted}_"))
    } else {
        members.claim(&wanted)
    }
}

/// A fresh field or method namespace.
pub fn member_names() -> Names {
    static MEMBER: LazyLock<Names> = LazyLock::new(new_member_names);
    MEMBER.clone()
}

fn new_member_names() -> Names {
    let mut names = Names::default();
    for word in naming::PYTHON.iter().chain(MEMBER_RESERVED) {
        names.reserve(word);
    }
    names
}

/// A class name: the words of `name` in PascalCase, starting with a letter.
pub fn class(name: &str) -> String {
    let out = naming::pascal(name);
    match out.chars().next() {
        Some(c) if c.is_ascii_alphabetic() => out,
        Some(_) => format!("T{out}"),
        None => "T".to_string(),
    }
}

/// A function, method, field or parameter name: snake_case, starting with a letter, `_`
/// appended to a keyword (claiming in a [`member_names`] namespace takes care of the rest).
pub fn snake(name: &str) -> String {
    let out = naming::snake(name);
    let out = match out.chars().next() {
        Some(c) if c.is_ascii_alphabetic() => out,
        Some(_) => format!("n{out}"),
        None => "value".to_string(),
    };
    escape(out)
}

/// An enum member: SCREAMING_SNAKE_CASE, starting with a letter.
pub fn constant(name: &str) -> String {
    let out = naming::screaming(name);
    match out.chars().next() {
        Some(c) if c.is_ascii_alphabetic() => out,
        Some(_) => format!("V_{out}"),
        None => "VALUE".to_string(),
    }
}

/// `name` with `_` appended when it is a keyword or soft keyword.
pub fn escape(name: String) -> String {
    if naming::PYTHON.contains(&name.as_str()) {
        name + "_"
    } else {
        name
    }
}

/// A package directory segment: lowercase snake_case, starting with a letter, never a keyword,
/// a builtin or the runtime's name.
pub fn segment(part: &str) -> String {
    let out = naming::snake(part);
    let mut out = match out.chars().next() {
        Some(c) if c.is_ascii_alphabetic() => out,
        Some(_) => format!("p{out}"),
        None => "p".to_string(),
    };
    if naming::PYTHON.contains(&out.as_str())
        || naming::PYTHON_BUILTINS.contains(&out.as_str())
        || MODULE_LOCALS.contains(&out.as_str())
    {
        out.push('_');
    }
    out
}

/// The distribution name for PyPI (PEP 503 normalised): the SDK name lowercased, `@`
/// dropped, every run of other characters than letters and digits a single `-`.
pub fn distribution(sdk: &Sdk<'_>) -> String {
    let mut out = String::new();
    for c in sdk.name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if c != '@' && !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "sdk".to_string()
    } else {
        out
    }
}

/// The import package: the SDK name in snake_case with `_sdk` appended unless it ends in
/// `sdk` already (`summit` → `summit_sdk`, `@acme/summit-sdk` → `acme_summit_sdk`).
pub fn import_package(sdk: &Sdk<'_>) -> String {
    let base = segment(&sdk.name).trim_end_matches('_').to_string();
    if base == "sdk" || base.ends_with("_sdk") {
        base
    } else {
        format!("{base}_sdk")
    }
}

/// Where each module lives and what each declared type is called.
#[derive(Debug, Default)]
pub struct PyNames<'m> {
    /// The import package (`summit_sdk`).
    pub import: String,
    /// Per module (same order as `Sdk::modules`): its directory segments below the import
    /// package (`["summit", "lineage"]`).
    pub dirs: Vec<Vec<String>>,
    module_of: HashMap<String, usize>,
    types: HashMap<QualName, String>,
    aliases: HashMap<QualName, &'m Type>,
    enums: HashMap<QualName, bool>,
    clients: HashMap<QualName, String>,
}

impl<'m> PyNames<'m> {
    /// Directories and the class names of every module (types are claimed first, so a type
    /// keeps its name whatever clients and errors are added later); `files` gets one
    /// namespace per module.
    pub fn new(sdk: &Sdk<'m>, files: &mut Vec<Names>) -> Self {
        let mut out = PyNames {
            import: import_package(sdk),
            ..PyNames::default()
        };
        let mut dirs = Names::default();
        for (i, module) in sdk.modules.iter().enumerate() {
            let wanted: Vec<String> = module.package.split('.').map(segment).collect();
            let dir = dirs.claim(&wanted.join("/"));
            out.dirs.push(dir.split('/').map(str::to_string).collect());
            out.module_of.insert(module.package.to_string(), i);
            let mut names = module_names();
            for decl in &module.types {
                let name = decl.name();
                out.types
                    .insert(name.clone(), names.claim(&class(&name.name)));
                match decl {
                    TypeDecl::Alias(a) => {
                        out.aliases.insert(a.name.clone(), &a.ty);
                    }
                    TypeDecl::Enum(e) => {
                        out.enums.insert(e.name.clone(), e.open);
                    }
                    TypeDecl::Record(_) | TypeDecl::Shape(_) => {}
                }
            }
            for service in &module.services {
                let wanted = format!("{}Client", class(&service.service.name.name));
                out.clients
                    .insert(service.service.name.clone(), names.claim(&wanted));
            }
            files.push(names);
        }
        out
    }

    /// The class of a declared type in its own module.
    pub fn ty(&self, name: &QualName) -> &str {
        self.types.get(name).map_or("T", String::as_str)
    }

    /// The client class of a service.
    pub fn client(&self, service: &QualName) -> &str {
        self.clients.get(service).map_or("Client", String::as_str)
    }

    /// The target of an alias.
    pub fn alias(&self, name: &QualName) -> Option<&'m Type> {
        self.aliases.get(name).copied()
    }

    /// Whether `name` is an enum, and then whether it is open.
    pub fn enum_open(&self, name: &QualName) -> Option<bool> {
        self.enums.get(name).copied()
    }

    /// The index of a package's module.
    pub fn module_of(&self, package: &str) -> Option<usize> {
        self.module_of.get(package).copied()
    }
}
