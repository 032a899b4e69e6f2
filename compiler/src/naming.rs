//! Names in other languages, decided once: how text splits into words, the case conversions
//! every target uses, the reserved words of each target language (as data, from the language
//! specifications), and the one collision rule ([`Names`]).
//!
//! A word is a maximal run of ASCII letters and digits, further split where a lower-case letter
//! or a digit is followed by an upper-case letter (`listPets` → `list`, `Pets`) and before the
//! last upper-case letter of a run that a lower-case letter follows (`HTTPServer` → `HTTP`,
//! `Server`). Everything else (`_`, `-`, `.`, spaces, non-ASCII) only separates words.

use std::collections::BTreeSet;

/// The words of `text` (see the module documentation for where one ends).
pub fn words(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    for (i, &b) in bytes.iter().enumerate() {
        if !b.is_ascii_alphanumeric() {
            if let Some(s) = start.take() {
                out.extend(text.get(s..i));
            }
            continue;
        }
        let Some(s) = start else {
            start = Some(i);
            continue;
        };
        let prev = i.checked_sub(1).and_then(|j| bytes.get(j)).copied();
        let next = bytes.get(i + 1).copied();
        let boundary = b.is_ascii_uppercase()
            && prev.is_some_and(|p| {
                p.is_ascii_lowercase()
                    || p.is_ascii_digit()
                    || (p.is_ascii_uppercase() && next.is_some_and(|n| n.is_ascii_lowercase()))
            });
        if boundary {
            out.extend(text.get(s..i));
            start = Some(i);
        }
    }
    if let Some(s) = start {
        out.extend(text.get(s..));
    }
    out
}

/// `word` with its first letter upper-cased and the rest as written (`http` → `Http`, `HTTP`
/// stays `HTTP`).
pub fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_ascii_uppercase().to_string() + chars.as_str()
    })
}

/// `summit.identity`, `acme_api`, `Swagger Petstore` → `SummitIdentity`, `AcmeApi`,
/// `SwaggerPetstore`: each word [`capitalise`]d (acronyms stay as written), joined.
pub fn pascal(text: &str) -> String {
    words(text).into_iter().map(capitalise).collect()
}

/// `list pets`, `HTTPServer` → `listPets`, `httpServer`: the first word lower-cased, the others
/// as in [`pascal`].
pub fn camel(text: &str) -> String {
    let mut out = String::new();
    for (i, word) in words(text).into_iter().enumerate() {
        if i == 0 {
            out.push_str(&word.to_ascii_lowercase());
        } else {
            out.push_str(&capitalise(word));
        }
    }
    out
}

/// `listPets` → `list_pets`.
pub fn snake(text: &str) -> String {
    joined(text, "_").to_ascii_lowercase()
}

/// `listPets` → `LIST_PETS`.
pub fn screaming(text: &str) -> String {
    joined(text, "_").to_ascii_uppercase()
}

/// `listPets` → `list-pets`.
pub fn kebab(text: &str) -> String {
    joined(text, "-").to_ascii_lowercase()
}

fn joined(text: &str, separator: &str) -> String {
    words(text).join(separator)
}

/// Whether `name` is `[A-Za-z_][A-Za-z0-9_]*`, an identifier in every target language.
pub fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Hands out names within one namespace, under the one collision rule of every target: the first
/// to ask for a name gets it; a later one gets the name with `_2`, `_3`, ... appended (`2`, `3`,
/// ... when it already ends in `_`), the first of these that is free. Names that are never free (a language's reserved words, names a target
/// keeps for itself) are [`reserve`](Names::reserve)d first; turning a reserved word into a
/// usable one (`in` → `in_`, `if` → `rule_if`) is the target's choice, made before it claims.
#[derive(Debug, Clone, Default)]
pub struct Names {
    taken: BTreeSet<String>,
}

impl Names {
    /// Marks `name` as taken without handing it out.
    pub fn reserve(&mut self, name: &str) {
        self.taken.insert(name.to_string());
    }

    /// Whether `name` is taken (claimed or reserved).
    pub fn is_taken(&self, name: &str) -> bool {
        self.taken.contains(name)
    }

    /// `wanted` if it is free, else the first free `wanted_2`, `wanted_3`, ...; now taken.
    pub fn claim(&mut self, wanted: &str) -> String {
        let separator = if wanted.ends_with('_') { "" } else { "_" };
        let mut name = wanted.to_string();
        let mut n = 2_u32;
        while self.taken.contains(&name) {
            name = format!("{wanted}{separator}{n}");
            n += 1;
        }
        self.taken.insert(name.clone());
        name
    }

    /// `wanted` if it is free, else [`claim`](Names::claim) of `alternative` (a longer, more
    /// specific name, such as the type name prefixed with its package).
    pub fn claim_or(&mut self, wanted: &str, alternative: &str) -> String {
        if self.is_taken(wanted) {
            self.claim(alternative)
        } else {
            self.claim(wanted)
        }
    }
}

/// Charter's reserved words: never a declaration's or a member's name (§2.1).
pub const CHARTER: &[&str] = &[
    "and",
    "or",
    "not",
    "in",
    "has",
    "true",
    "false",
    "none",
    "when",
    "because",
    "matching",
    "requirement",
];

/// The names a declared Charter type may not take: the primitives and type constructors.
pub const CHARTER_TYPES: &[&str] = &[
    "bool",
    "int",
    "float",
    "decimal",
    "string",
    "bytes",
    "timestamp",
    "date",
    "duration",
    "uuid",
    "list",
    "set",
    "map",
];

/// Rego v1 keywords (OPA 1.x, `import rego.v1`), with the root documents `data` and `input`.
pub const REGO: &[&str] = &[
    "as", "contains", "data", "default", "else", "every", "false", "if", "import", "in", "input",
    "not", "null", "package", "some", "true", "with",
];

/// GraphQL has no reserved words, but these are never a name: `true`, `false` and `null` as enum
/// values (§3.9), the built-in scalars (§3.5), and the introspection types (names starting with
/// `__` are reserved, §4).
pub const GRAPHQL: &[&str] = &[
    "true",
    "false",
    "null",
    "Int",
    "Float",
    "String",
    "Boolean",
    "ID",
    "__Schema",
    "__Type",
    "__TypeKind",
    "__Field",
    "__InputValue",
    "__EnumValue",
    "__Directive",
    "__DirectiveLocation",
];

/// GraphQL's built-in scalar types (§3.5).
pub const GRAPHQL_SCALARS: &[&str] = &["Int", "Float", "String", "Boolean", "ID"];

/// TypeScript (ECMAScript 2024 §12.7.2 reserved words, the strict-mode future reserved words, and
/// `arguments`/`eval`, which strict code cannot bind).
pub const TYPESCRIPT: &[&str] = &[
    "await",
    "break",
    "case",
    "catch",
    "class",
    "const",
    "continue",
    "debugger",
    "default",
    "delete",
    "do",
    "else",
    "enum",
    "export",
    "extends",
    "false",
    "finally",
    "for",
    "function",
    "if",
    "import",
    "in",
    "instanceof",
    "new",
    "null",
    "return",
    "super",
    "switch",
    "this",
    "throw",
    "true",
    "try",
    "typeof",
    "var",
    "void",
    "while",
    "with",
    "yield",
    "implements",
    "interface",
    "let",
    "package",
    "private",
    "protected",
    "public",
    "static",
    "arguments",
    "eval",
];

/// TypeScript's predefined type names, never a declared type's name.
pub const TYPESCRIPT_TYPES: &[&str] = &[
    "any",
    "bigint",
    "boolean",
    "never",
    "null",
    "number",
    "object",
    "string",
    "symbol",
    "undefined",
    "unknown",
    "void",
];

/// Go's 25 keywords (The Go Programming Language Specification, "Keywords").
pub const GO: &[&str] = &[
    "break",
    "case",
    "chan",
    "const",
    "continue",
    "default",
    "defer",
    "else",
    "fallthrough",
    "for",
    "func",
    "go",
    "goto",
    "if",
    "import",
    "interface",
    "map",
    "package",
    "range",
    "return",
    "select",
    "struct",
    "switch",
    "type",
    "var",
];

/// Go's predeclared identifiers (the universe block): legal to redeclare, but shadowing them
/// makes generated code confusing, so generators avoid them.
pub const GO_PREDECLARED: &[&str] = &[
    "any",
    "bool",
    "byte",
    "comparable",
    "complex64",
    "complex128",
    "error",
    "float32",
    "float64",
    "int",
    "int8",
    "int16",
    "int32",
    "int64",
    "rune",
    "string",
    "uint",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "uintptr",
    "true",
    "false",
    "iota",
    "nil",
    "append",
    "cap",
    "clear",
    "close",
    "complex",
    "copy",
    "delete",
    "imag",
    "len",
    "make",
    "max",
    "min",
    "new",
    "panic",
    "print",
    "println",
    "real",
    "recover",
];

/// Python 3.12's keywords (`keyword.kwlist`) and soft keywords (`keyword.softkwlist`).
pub const PYTHON: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield", "_", "case", "match", "type",
];

/// Python's built-in names (`dir(builtins)` of Python 3.13 without the dunders and the
/// keywords): a module-level declaration never shadows one.
pub const PYTHON_BUILTINS: &[&str] = &[
    "ArithmeticError",
    "AssertionError",
    "AttributeError",
    "BaseException",
    "BaseExceptionGroup",
    "BlockingIOError",
    "BrokenPipeError",
    "BufferError",
    "BytesWarning",
    "ChildProcessError",
    "ConnectionAbortedError",
    "ConnectionError",
    "ConnectionRefusedError",
    "ConnectionResetError",
    "DeprecationWarning",
    "EOFError",
    "Ellipsis",
    "EncodingWarning",
    "EnvironmentError",
    "Exception",
    "ExceptionGroup",
    "FileExistsError",
    "FileNotFoundError",
    "FloatingPointError",
    "FutureWarning",
    "GeneratorExit",
    "IOError",
    "ImportError",
    "ImportWarning",
    "IndentationError",
    "IndexError",
    "InterruptedError",
    "IsADirectoryError",
    "KeyError",
    "KeyboardInterrupt",
    "LookupError",
    "MemoryError",
    "ModuleNotFoundError",
    "NameError",
    "NotADirectoryError",
    "NotImplemented",
    "NotImplementedError",
    "OSError",
    "OverflowError",
    "PendingDeprecationWarning",
    "PermissionError",
    "ProcessLookupError",
    "PythonFinalizationError",
    "RecursionError",
    "ReferenceError",
    "ResourceWarning",
    "RuntimeError",
    "RuntimeWarning",
    "StopAsyncIteration",
    "StopIteration",
    "SyntaxError",
    "SyntaxWarning",
    "SystemError",
    "SystemExit",
    "TabError",
    "TimeoutError",
    "TypeError",
    "UnboundLocalError",
    "UnicodeDecodeError",
    "UnicodeEncodeError",
    "UnicodeError",
    "UnicodeTranslateError",
    "UnicodeWarning",
    "UserWarning",
    "ValueError",
    "Warning",
    "ZeroDivisionError",
    "abs",
    "aiter",
    "all",
    "anext",
    "any",
    "ascii",
    "bin",
    "bool",
    "breakpoint",
    "bytearray",
    "bytes",
    "callable",
    "chr",
    "classmethod",
    "compile",
    "complex",
    "copyright",
    "credits",
    "delattr",
    "dict",
    "dir",
    "divmod",
    "enumerate",
    "eval",
    "exec",
    "exit",
    "filter",
    "float",
    "format",
    "frozenset",
    "getattr",
    "globals",
    "hasattr",
    "hash",
    "help",
    "hex",
    "id",
    "input",
    "int",
    "isinstance",
    "issubclass",
    "iter",
    "len",
    "license",
    "list",
    "locals",
    "map",
    "max",
    "memoryview",
    "min",
    "next",
    "object",
    "oct",
    "open",
    "ord",
    "pow",
    "print",
    "property",
    "quit",
    "range",
    "repr",
    "reversed",
    "round",
    "set",
    "setattr",
    "slice",
    "sorted",
    "staticmethod",
    "str",
    "sum",
    "super",
    "tuple",
    "type",
    "vars",
    "zip",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_on_separators_and_humps() {
        let cases: &[(&str, &[&str])] = &[
            ("summit.identity", &["summit", "identity"]),
            ("acme_api", &["acme", "api"]),
            ("Swagger Petstore", &["Swagger", "Petstore"]),
            ("listPets", &["list", "Pets"]),
            ("HTTPServer", &["HTTP", "Server"]),
            ("get-user-by-id", &["get", "user", "by", "id"]),
            ("Iso8601Date", &["Iso8601", "Date"]),
            ("2fa", &["2fa"]),
            ("v2", &["v2"]),
            ("__x__", &["x"]),
            ("café_au", &["caf", "au"]),
            ("", &[]),
            ("-_-", &[]),
            ("ABC", &["ABC"]),
        ];
        for (text, expected) in cases {
            assert_eq!(&words(text), expected, "{text}");
        }
    }

    #[test]
    fn case_conversions() {
        // text, Pascal, camel, snake, SCREAMING, kebab
        let cases = [
            (
                "summit.identity",
                "SummitIdentity",
                "summitIdentity",
                "summit_identity",
            ),
            ("listPets", "ListPets", "listPets", "list_pets"),
            ("HTTPServer", "HTTPServer", "httpServer", "http_server"),
            (
                "find pet by id",
                "FindPetById",
                "findPetById",
                "find_pet_by_id",
            ),
            ("2fa", "2fa", "2fa", "2fa"),
            ("", "", "", ""),
        ];
        for (text, p, c, s) in cases {
            assert_eq!(pascal(text), p, "{text}");
            assert_eq!(camel(text), c, "{text}");
            assert_eq!(snake(text), s, "{text}");
            assert_eq!(screaming(text), s.to_ascii_uppercase(), "{text}");
            assert_eq!(kebab(text), s.replace('_', "-"), "{text}");
        }
        assert_eq!(capitalise("string"), "String");
        assert_eq!(capitalise(""), "");
    }

    #[test]
    fn identifiers() {
        for ok in ["a", "_x", "low_confidence", "A1"] {
            assert!(is_identifier(ok), "{ok}");
        }
        for bad in ["", "1x", "GOV-01", "a.b", "é"] {
            assert!(!is_identifier(bad), "{bad}");
        }
    }

    #[test]
    fn first_come_keeps_the_name() {
        let mut names = Names::default();
        names.reserve("Query");
        let claims = [
            ("a", "a"),
            ("a", "a_2"),
            ("a", "a_3"),
            ("a_2", "a_2_2"),
            ("in_", "in_"),
            ("in_", "in_2"),
            ("Query", "Query_2"),
            ("b", "b"),
        ];
        for (wanted, got) in claims {
            assert_eq!(names.claim(wanted), got, "{wanted}");
        }
        assert_eq!(names.claim_or("b", "PkgB"), "PkgB");
        assert_eq!(names.claim_or("b", "PkgB"), "PkgB_2");
        assert_eq!(names.claim_or("c", "PkgC"), "c");
        assert!(names.is_taken("c") && !names.is_taken("d"));
    }

    #[test]
    fn reserved_word_lists_are_complete_and_without_duplicates() {
        let lists: [(&str, &[&str], usize); 11] = [
            ("charter", CHARTER, 12),
            ("charter types", CHARTER_TYPES, 13),
            ("rego", REGO, 17),
            ("graphql", GRAPHQL, 16),
            ("graphql scalars", GRAPHQL_SCALARS, 5),
            ("typescript", TYPESCRIPT, 48),
            ("typescript types", TYPESCRIPT_TYPES, 12),
            ("go", GO, 25),
            ("go predeclared", GO_PREDECLARED, 44),
            ("python", PYTHON, 39),
            ("python builtins", PYTHON_BUILTINS, 147),
        ];
        for (name, list, len) in lists {
            let set: BTreeSet<&str> = list.iter().copied().collect();
            assert_eq!(set.len(), list.len(), "{name} has a duplicate");
            assert_eq!(list.len(), len, "{name}");
        }
    }
}
