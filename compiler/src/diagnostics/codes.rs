//! The table of diagnostic codes. Codes are stable: a code, once released, keeps its meaning
//! forever; retired codes are never reused. `charter explain CODE` prints the page for a code
//! from `docs/diagnostics/CODE.md`.
//!
//! Ranges: `E0xxx` syntax, `E1xxx` names and packages, `E2xxx` types, `E3xxx` policies, `E4xxx`
//! contracts, `E5xxx` controls and threats, `E6xxx` tests, `E7xxx` annotations and deprecations,
//! `E8xxx` import and drift, `E9xxx` workspace and files; `Wxxxx` are warnings in the same
//! ranges.

use super::{Code, Severity};

/// One row of the table.
#[derive(Debug, Clone, Copy)]
pub struct CodeInfo {
    pub code: Code,
    pub severity: Severity,
    pub summary: &'static str,
    /// For a retired code, the code that replaced it (it meant the same thing). Nothing emits a
    /// retired code and it has no constant; its page and `charter explain` say what it became.
    pub alias_of: Option<Code>,
}

impl CodeInfo {
    /// The code this one stands for today: itself, or the code it is an alias of.
    pub fn current(&self) -> Code {
        self.alias_of.unwrap_or(self.code)
    }
}

macro_rules! codes {
    ($($name:ident $sev:ident $summary:literal $(=> $alias:ident)?;)*) => {
        $(codes!(@const $name $(=> $alias)?);)*
        /// Every code, in the table's order (`charter explain --list` prints this order): by
        /// range, `E0xxx` to `E9xxx`, each range's errors before its warnings, except the import
        /// range, which lists the GraphQL import's codes (`E8050`..`W8056`, four of them retired
        /// aliases) before those of the OpenAPI import and drift (`E8001`..`E8110`).
        pub const ALL: &[CodeInfo] = &[
            $(CodeInfo {
                code: Code(stringify!($name)),
                severity: Severity::$sev,
                summary: $summary,
                alias_of: codes!(@alias $($alias)?),
            },)*
        ];
    };
    (@const $name:ident) => { pub const $name: Code = Code(stringify!($name)); };
    (@const $name:ident => $alias:ident) => {};
    (@alias) => { None };
    (@alias $alias:ident) => { Some($alias) };
}

codes! {
    E0001 Error "unexpected character";
    E0002 Error "unterminated string literal";
    E0003 Error "syntax error";
    E0004 Error "unexpected end of file";
    E0005 Error "invalid literal";
    E0006 Error "misplaced or missing package declaration";
    E0007 Error "declaration nested too deeply or too long";
    E0008 Error "bidirectional control character in source";
    W0001 Warning "doc comment documents nothing";

    E1001 Error "unknown name";
    E1002 Error "duplicate declaration";
    E1003 Error "unknown package";
    E1004 Error "name not found in package";
    E1005 Error "name refers to the wrong kind of declaration";
    E1006 Error "import cycle between packages";
    E1007 Error "duplicate member";
    E1008 Error "files of one folder declare different packages";
    E1009 Error "reserved member name";
    W1001 Warning "unused import";

    E2001 Error "unknown attribute";
    E2002 Error "mismatched types";
    E2003 Error "ordering comparison on an unordered type";
    E2004 Error "`in` needs a list or set of the element's type";
    E2005 Error "optional value used without a presence check";
    E2006 Error "condition is not a boolean";
    E2007 Error "invalid type constructor";
    E2008 Error "invalid refinement";
    E2009 Error "value does not fit its type";
    E2010 Error "type alias refers to itself";
    E2011 Error "attribute access on a value without attributes";
    E2012 Error "unknown enum value";
    E2013 Error "expression not allowed in a condition";
    E2014 Error "wire annotation on a type a policy reads";

    E3001 Error "policy or action names a type that is not an entity";
    E3002 Error "action not declared for the policy's resource and subjects";
    E3003 Error "policy context is not a context declaration";
    E3004 Error "rule without a reason";
    E3005 Error "policy decides no action";
    E3006 Error "policy in a package the OPA bundle reserves";
    W3001 Warning "rule can never match";
    W3002 Warning "rule is shadowed";

    E4001 Error "invalid HTTP method";
    E4002 Error "path parameter and parameter list disagree";
    E4003 Error "invalid response status";
    E4004 Error "operation requires provenance but its payload does not carry it";
    E4005 Error "guarded by a policy that cannot decide this action";
    E4006 Error "invalid GraphQL exposure";
    E4007 Error "duplicate route";
    E4008 Error "invalid request body or parameter type";
    E4009 Error "invalid version";
    E4010 Error "invalid path";
    E4011 Error "duplicate clause";
    W4050 Warning "paths differ only in parameter names";
    W4051 Warning "guarding policy cannot read the provenance envelope";

    E5001 Error "unknown framework";
    E5002 Error "unknown framework requirement";
    E5003 Error "`mitigated by` names no control";
    E5004 Error "`enforced by` names no policy";
    E5005 Error "invalid threat rating or category";
    E5006 Error "invalid evidence path";
    E5007 Error "invalid retention";
    E5008 Error "invalid framework catalogue entry";
    E5009 Error "required requirement not covered";
    W5001 Warning "threat has no mitigation";
    W5002 Warning "control has no evidence";

    E6001 Error "test value does not fit the declared type";
    E6002 Error "test value misses a required attribute";
    E6003 Error "expected verdict names no rule of the policy";
    E6004 Error "incomplete test case";
    E6005 Error "test names a type the policy does not take";
    E6006 Error "expected effect contradicts the rule's effect";

    E7001 Error "unknown annotation";
    E7002 Error "invalid annotation arguments";
    E7003 Error "invalid date";
    E7004 Error "sunset before deprecation";
    E7005 Error "deprecation window shorter than the minimum";
    E7006 Error "replacement names no operation";
    E7007 Error "annotation not allowed here";

    // Contract evolution (`charter diff`, `charter changelog`, `charter build --target
    // calendar`): E7100–E7149 / W7100–W7149 semver and deprecation rules over the change list
    // of two versions; W7150–W7159 deprecation calendar warnings. See docs/evolution.md.
    E7101 Error "breaking change without a major version bump";
    E7102 Error "removal of a declaration that was not deprecated";
    E7103 Error "removal before the published sunset date";
    E7104 Error "published sunset date moved earlier";
    W7101 Warning "version bump smaller than the changes require";
    W7102 Warning "version number went backwards";
    W7150 Warning "sunset date in the past";
    W7151 Warning "deprecated declaration still used";
    // GraphQL import (`charter import graphql`, interop/src/graphql.rs): E8050–E8099. The
    // problems both importers share (syntax, size, package name, importer bug) are E8001–E8009.
    E8050 Error "GraphQL document does not parse (retired: now E8001)" => E8001;
    E8051 Error "GraphQL document defines nothing";
    E8052 Error "GraphQL type reference names no suitable type";
    E8053 Error "GraphQL document too large or nested too deeply (retired: now E8005)" => E8005;
    E8054 Error "GraphQL type, field or value defined twice";
    E8055 Error "invalid package name for an import (retired: now E8006)" => E8006;
    E8059 Error "imported source does not check (retired: now E8009)" => E8009;
    W8050 Warning "GraphQL construct not imported";
    W8051 Warning "GraphQL name changed on import";
    W8052 Warning "custom scalar imported as an alias";
    W8053 Warning "default value not imported";
    W8054 Warning "deprecation date unknown";
    W8055 Warning "argument description not imported";
    W8056 Warning "argument changes shape on import";
    // Import and drift (cli: `charter import openapi`, `charter drift`). OpenAPI import is
    // E8001-E8049 / W8001-W8049, GraphQL import E8050-E8099, drift E8100-E8149 / W8100-W8149.
    E8001 Error "the imported document does not parse";
    E8002 Error "not an OpenAPI document";
    E8003 Error "unsupported OpenAPI or Swagger version";
    E8004 Error "`$ref` points nowhere";
    E8005 Error "imported document too large or too deeply nested";
    E8006 Error "invalid package name for the import";
    E8007 Error "import output folder is not empty";
    E8009 Error "importer produced source that does not parse or check (an importer bug)";
    W8001 Warning "construct not expressible in Charter";
    W8002 Warning "name renamed to a Charter identifier";
    W8003 Warning "schema composition or type not expressible; degraded";
    W8004 Warning "schema constraint or format dropped";
    W8005 Warning "recursive schema degraded";
    W8006 Warning "request body, parameter or response not imported";
    W8007 Warning "`null` mapped to an optional value or dropped";
    W8008 Warning "service version, server or base path adjusted";
    E8101 Error "operation missing from the served document";
    E8102 Error "operation served but not in the contract";
    E8103 Error "parameter differs from the contract";
    E8104 Error "request body differs from the contract";
    E8105 Error "response differs from the contract";
    E8106 Error "component schema differs from the contract";
    E8107 Error "success status differs from the contract";
    E8110 Error "no such service to compare";

    E9001 Error "no charter.toml";
    E9002 Error "invalid charter.toml";
    E9003 Error "file is not UTF-8";
    E9004 Error "file too large";
    E9005 Error "no source files";
    E9006 Error "cannot read file";
    E9007 Error "not a regular file inside the workspace";
    // The command line and the edges (cli): failures of a command itself, reported as
    // diagnostics in every format (exit code 2).
    E9008 Error "unknown build target";
    E9009 Error "invalid command-line argument";
    E9010 Error "cannot write output";
    E9011 Error "output folder not allowed there";
    E9012 Error "output folder not written by Charter";
    E9013 Error "neither a folder nor a git revision";
    E9014 Error "input is not valid JSON";
    E9015 Error "no such policy";
    E9016 Error "target cannot generate its output";
    E9017 Error "unknown diagnostic code";
    E9018 Error "file not formatted: it does not parse";
    E9019 Error "invalid key or bundle";
    // `charter bundle push`: the OCI reference, and the registry's answers.
    E9020 Error "invalid OCI reference";
    E9021 Error "registry refused the credentials";
    E9022 Error "registry unreachable";
    E9023 Error "registry refused the push";
    // `charter build --attest` and `charter attest verify`: build attestations.
    E9030 Error "invalid SOURCE_DATE_EPOCH";
    E9031 Error "attestation cannot be read";
    E9032 Error "attested file changed";
    E9033 Error "attested file missing";
    E9034 Error "file not attested";
    E9035 Error "attestation signature does not verify";
    E9036 Error "attestation not signed";
    // `charter build --target evidence` and `charter report`.
    W9001 Warning "evidence has no category";
}

/// The table row for a code string such as `"E2001"` (case-insensitive).
pub fn lookup(code: &str) -> Option<&'static CodeInfo> {
    ALL.iter()
        .find(|info| info.code.as_str().eq_ignore_ascii_case(code))
}

/// The table row of a code.
pub fn info(code: Code) -> Option<&'static CodeInfo> {
    ALL.iter().find(|info| info.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_name_current_codes_of_the_same_severity() {
        for info in ALL.iter().filter(|i| i.alias_of.is_some()) {
            let target = info.alias_of.and_then(super::info);
            assert!(
                target.is_some_and(|t| t.alias_of.is_none() && t.severity == info.severity),
                "{} is an alias of a missing, retired or differently severe code",
                info.code.as_str()
            );
        }
        assert_eq!(lookup("E8050").map(CodeInfo::current), Some(E8001));
        assert_eq!(lookup("E8001").map(CodeInfo::current), Some(E8001));
    }
}
