//! TypeScript names: which identifier every type, client class, error class and method gets.
//! Wire names (record fields, parameters) are never renamed: they are property keys, where
//! every string is allowed, so a payload passes through unchanged.

use std::collections::HashMap;

use charter::ir::QualName;
use charter::naming::{self, Names};

use crate::sdk::{Module, Rename, Sdk, renamed_records};

/// Global names the generated modules use and a declaration must not shadow.
const USED_GLOBALS: &[&str] = &["Array", "Record", "Promise", "Readonly", "Object"];

/// The TypeScript identifier of every declared type, and each module's file and namespace.
#[derive(Debug, Default)]
pub struct TsNames {
    types: HashMap<QualName, String>,
    file_of: HashMap<String, String>,
    /// Per module (same order as `Sdk::modules`): the file stem (`summit.platform`).
    pub files: Vec<String>,
    /// Per module: the namespace `src/index.ts` exports it as (`summit_platform`).
    pub exports: Vec<String>,
    /// Per module: its client and error class names.
    pub modules: Vec<ModuleNames>,
}

/// The classes of one module.
#[derive(Debug, Default)]
pub struct ModuleNames {
    /// Per service: its client class.
    pub clients: Vec<String>,
    /// Per service, per operation, per declared error (in status order): its error class.
    pub errors: Vec<Vec<Vec<String>>>,
    /// Compatibility aliases of renamed records: (old name, the record's name).
    pub compat: Vec<(String, String)>,
}

/// Names every module keeps: reserved words, predefined types, the globals it uses.
pub fn module_names() -> Names {
    let mut names = Names::default();
    for word in naming::TYPESCRIPT
        .iter()
        .chain(naming::TYPESCRIPT_TYPES)
        .chain(USED_GLOBALS)
    {
        names.reserve(word);
    }
    names
}

/// `name`, with `_` appended when it is a reserved word.
pub fn escape(name: &str) -> String {
    if naming::TYPESCRIPT.contains(&name) || naming::TYPESCRIPT_TYPES.contains(&name) {
        format!("{name}_")
    } else {
        name.to_string()
    }
}

/// What a type, client or error class is called: its words in PascalCase.
pub fn pascal(name: &str) -> String {
    let out = naming::pascal(name);
    if out.is_empty() { "T".to_string() } else { out }
}

impl TsNames {
    pub fn new(sdk: &Sdk<'_>) -> Self {
        let mut out = TsNames::default();
        let mut files = Names::default();
        files.reserve("index");
        let mut exports = module_names();
        for name in super::INDEX_EXPORTS {
            exports.reserve(name);
        }
        for module in &sdk.modules {
            let file = files.claim(module.package);
            out.file_of.insert(module.package.to_string(), file.clone());
            out.files.push(file);
            out.exports
                .push(exports.claim(&escape(&naming::snake(module.package))));
            let classes = out.claim_module(module, &sdk.renames);
            out.modules.push(classes);
        }
        out
    }

    fn claim_module(&mut self, module: &Module<'_>, renames: &[Rename]) -> ModuleNames {
        let mut names = module_names();
        for decl in &module.types {
            let name = decl.name();
            let wanted = pascal(&name.name);
            self.types.insert(name.clone(), names.claim(&wanted));
        }
        let mut out = ModuleNames::default();
        for s in &module.services {
            let service = pascal(&s.service.name.name);
            out.clients.push(names.claim(&format!("{service}Client")));
        }
        for s in &module.services {
            let service = pascal(&s.service.name.name);
            let per_op = s
                .ops
                .iter()
                .map(|op| {
                    let stem = format!("{service}{}", pascal(&op.op.name));
                    op.errors
                        .iter()
                        .map(|(status, _)| names.claim(&format!("{stem}{status}Error")))
                        .collect()
                })
                .collect();
            out.errors.push(per_op);
        }
        for (old, target) in
            renamed_records(renames, module.package, |t| self.types.contains_key(t))
        {
            let wanted = pascal(old);
            // An old name that is taken again stays with its new owner: no alias.
            if !names.is_taken(&wanted) {
                out.compat
                    .push((names.claim(&wanted), self.ty(&target).to_string()));
            }
        }
        out
    }

    /// The file stem of a package's module.
    pub fn file<'a>(&'a self, package: &'a str) -> &'a str {
        self.file_of.get(package).map_or(package, String::as_str)
    }

    /// The identifier of a declared type in its own module.
    pub fn ty(&self, name: &QualName) -> &str {
        self.types.get(name).map_or("unknown", String::as_str)
    }
}

/// The namespace a module imports another package's module under: `$m` then each segment
/// after a `$` (`summit.platform` → `$m$summit$platform`); no declaration name holds a `$`.
pub fn import_namespace(package: &str) -> String {
    let mut out = String::from("$m");
    for part in package.split('.') {
        out.push('$');
        out.push_str(part);
    }
    out
}

/// Method names within one client class.
pub fn class_names() -> Names {
    let mut names = Names::default();
    names.reserve("constructor");
    names
}

/// A method's name: the operation's in camelCase.
pub fn method(names: &mut Names, op: &str) -> String {
    let wanted = naming::camel(op);
    names.claim(if wanted.is_empty() { "call" } else { &wanted })
}
