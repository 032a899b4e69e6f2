//! The change-kind table. Every change the diff reports has one kind: a stable id (`C` and four
//! digits; the first digit names the subject: 1 types and fields, 2 enums, 3 services,
//! operations, parameters and errors, 4 policies, 5 controls and threats, 6 deprecations), a
//! slug, the axes (what changed, how) and its severity. Where a change's severity depends on
//! the direction its type flows (request or response), the table has one kind per direction,
//! so a kind's severity is fixed. `charter explain C1001` prints the kind's page from
//! `docs/changes/C1001.md`. Ids are stable: a released id keeps its meaning.

/// How much a change can hurt existing clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Safe,
    Dangerous,
    Breaking,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Safe => "safe",
            Severity::Dangerous => "dangerous",
            Severity::Breaking => "breaking",
        }
    }
}

/// What changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum What {
    Type,
    Field,
    Alias,
    Input,
    Enum,
    EnumValue,
    Service,
    Operation,
    Parameter,
    Error,
    Policy,
    PolicyRule,
    Control,
    ControlMapping,
    Threat,
    ThreatMitigation,
    Deprecation,
}

impl What {
    pub fn as_str(self) -> &'static str {
        match self {
            What::Type => "type",
            What::Field => "field",
            What::Alias => "alias",
            What::Input => "policy input",
            What::Enum => "enum",
            What::EnumValue => "enum value",
            What::Service => "service",
            What::Operation => "operation",
            What::Parameter => "parameter",
            What::Error => "error",
            What::Policy => "policy",
            What::PolicyRule => "policy rule",
            What::Control => "control",
            What::ControlMapping => "control mapping",
            What::Threat => "threat",
            What::ThreatMitigation => "threat mitigation",
            What::Deprecation => "deprecation",
        }
    }
}

/// How it changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum How {
    Added,
    Removed,
    Renamed,
    TypeChanged,
    MadeRequired,
    MadeOptional,
    Tightened,
    Loosened,
    DefaultChanged,
    Changed,
    Widened,
    Narrowed,
    Deprecated,
    SunsetMoved,
}

impl How {
    pub fn as_str(self) -> &'static str {
        match self {
            How::Added => "added",
            How::Removed => "removed",
            How::Renamed => "renamed",
            How::TypeChanged => "type changed",
            How::MadeRequired => "made required",
            How::MadeOptional => "made optional",
            How::Tightened => "constraint tightened",
            How::Loosened => "constraint loosened",
            How::DefaultChanged => "default changed",
            How::Changed => "changed",
            How::Widened => "widened",
            How::Narrowed => "narrowed",
            How::Deprecated => "deprecated",
            How::SunsetMoved => "sunset moved",
        }
    }
}

/// One row of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KindInfo {
    pub id: &'static str,
    pub slug: &'static str,
    pub what: What,
    pub how: How,
    pub severity: Severity,
    pub summary: &'static str,
}

macro_rules! kinds {
    ($($name:ident $id:literal $slug:literal $what:ident $how:ident $sev:ident $summary:literal;)*) => {
        $(pub const $name: KindInfo = KindInfo {
            id: $id, slug: $slug, what: What::$what, how: How::$how,
            severity: Severity::$sev, summary: $summary,
        };)*
        /// Every kind, in id order.
        pub const ALL: &[KindInfo] = &[$($name,)*];
    };
}

kinds! {
    // Records and their fields. "request" kinds apply to types that flow into the service
    // (parameters, bodies, policy inputs), "response" kinds to results and errors.
    FIELD_ADDED_REQUIRED_REQUEST "C1001" "field-added-required-request" Field Added Breaking "a required field was added to a type clients send";
    FIELD_ADDED_OPTIONAL_REQUEST "C1002" "field-added-optional-request" Field Added Safe "an optional or defaulted field was added to a type clients send";
    FIELD_ADDED_RESPONSE "C1003" "field-added-response" Field Added Safe "a field was added to a type clients receive";
    FIELD_REMOVED_REQUEST "C1004" "field-removed-request" Field Removed Breaking "a field was removed from a type clients send";
    FIELD_REMOVED_RESPONSE "C1005" "field-removed-response" Field Removed Breaking "a field was removed from a type clients receive";
    FIELD_RENAMED "C1006" "field-renamed" Field Renamed Breaking "a field was renamed";
    FIELD_TYPE_CHANGED "C1007" "field-type-changed" Field TypeChanged Breaking "a field's type changed";
    FIELD_MADE_REQUIRED_REQUEST "C1008" "field-made-required-request" Field MadeRequired Breaking "a field clients send became required";
    FIELD_MADE_OPTIONAL_REQUEST "C1009" "field-made-optional-request" Field MadeOptional Safe "a field clients send became optional";
    FIELD_MADE_REQUIRED_RESPONSE "C1010" "field-made-required-response" Field MadeRequired Safe "a field clients receive is now always present";
    FIELD_MADE_OPTIONAL_RESPONSE "C1011" "field-made-optional-response" Field MadeOptional Breaking "a field clients receive may now be missing";
    FIELD_TIGHTENED_REQUEST "C1012" "field-constraint-tightened-request" Field Tightened Breaking "a field clients send accepts fewer values";
    FIELD_LOOSENED_REQUEST "C1013" "field-constraint-loosened-request" Field Loosened Safe "a field clients send accepts more values";
    FIELD_TIGHTENED_RESPONSE "C1014" "field-constraint-tightened-response" Field Tightened Safe "a field clients receive takes fewer values";
    FIELD_LOOSENED_RESPONSE "C1015" "field-constraint-loosened-response" Field Loosened Dangerous "a field clients receive may take values it never took before";
    FIELD_DEFAULT_CHANGED "C1016" "field-default-changed" Field DefaultChanged Dangerous "a field's default value changed";
    FIELD_WIRE_NAME_CHANGED "C1017" "field-wire-name-changed" Field Renamed Breaking "a field's wire name changed";
    FIELD_IDENTIFIER_RENAMED "C1018" "field-identifier-renamed" Field Renamed Dangerous "a field's identifier was renamed; its wire name stays";
    FIELD_MADE_NULLABLE_RESPONSE "C1019" "field-made-nullable-response" Field Loosened Breaking "a field clients receive may now be null";
    FIELD_MADE_NULLABLE_REQUEST "C1020" "field-made-nullable-request" Field Loosened Safe "a field only clients send may now be null";
    FIELD_NULLABLE_REMOVED_REQUEST "C1021" "field-nullable-removed-request" Field Tightened Breaking "a field clients send may no longer be null";
    FIELD_NULLABLE_REMOVED_RESPONSE "C1022" "field-nullable-removed-response" Field Tightened Safe "a field only clients receive is no longer null";
    RECORD_ADDED "C1101" "record-added" Type Added Safe "a record was added";
    RECORD_REMOVED "C1102" "record-removed" Type Removed Breaking "a record was removed";
    RECORD_RENAMED "C1103" "record-renamed" Type Renamed Breaking "a record was renamed";
    RECORD_PROVENANCE_CHANGED "C1104" "record-provenance-changed" Type Changed Breaking "a record gained or lost `with provenance`";
    ALIAS_ADDED "C1201" "alias-added" Alias Added Safe "a type alias was added";
    ALIAS_REMOVED "C1202" "alias-removed" Alias Removed Breaking "a type alias was removed";
    ALIAS_TYPE_CHANGED "C1203" "alias-type-changed" Alias TypeChanged Breaking "a type alias now stands for another type";
    INPUT_ADDED "C1301" "input-type-added" Input Added Safe "an entity or context was added";
    INPUT_REMOVED "C1302" "input-type-removed" Input Removed Breaking "an entity or context was removed";
    INPUT_ATTR_ADDED_REQUIRED "C1303" "input-attribute-added-required" Input Added Breaking "a required attribute was added to an entity or context";
    INPUT_ATTR_ADDED_OPTIONAL "C1304" "input-attribute-added-optional" Input Added Safe "an optional attribute was added to an entity or context";
    INPUT_ATTR_REMOVED "C1305" "input-attribute-removed" Input Removed Breaking "an attribute was removed from an entity or context";
    INPUT_ATTR_TYPE_CHANGED "C1306" "input-attribute-type-changed" Input TypeChanged Breaking "an entity or context attribute changed type";
    // Enums.
    ENUM_ADDED "C2001" "enum-added" Enum Added Safe "an enum was added";
    ENUM_REMOVED "C2002" "enum-removed" Enum Removed Breaking "an enum was removed";
    ENUM_VALUE_ADDED_CLOSED_RESPONSE "C2003" "enum-value-added-closed-response" EnumValue Added Breaking "a value was added to a closed enum clients receive";
    ENUM_VALUE_ADDED_CLOSED_REQUEST "C2004" "enum-value-added-closed-request" EnumValue Added Safe "a value was added to a closed enum only clients send";
    ENUM_VALUE_ADDED_OPEN "C2005" "enum-value-added-open" EnumValue Added Safe "a value was added to an open enum";
    ENUM_VALUE_REMOVED_REQUEST "C2006" "enum-value-removed-request" EnumValue Removed Breaking "a value was removed from an enum clients send";
    ENUM_VALUE_REMOVED_RESPONSE "C2007" "enum-value-removed-response" EnumValue Removed Safe "a value was removed from an enum only clients receive";
    ENUM_VALUE_RENAMED "C2008" "enum-value-renamed" EnumValue Renamed Breaking "an enum value was renamed";
    ENUM_MADE_OPEN "C2009" "enum-made-open" Enum Loosened Dangerous "a closed enum became open";
    ENUM_MADE_CLOSED "C2010" "enum-made-closed" Enum Tightened Safe "an open enum became closed";
    ENUM_ORDER_CHANGED "C2011" "enum-order-changed" Enum Changed Dangerous "an ordered enum's order changed";
    ENUM_VALUE_WIRE_NAME_CHANGED "C2012" "enum-value-wire-name-changed" EnumValue Renamed Breaking "an enum value's wire name changed";
    ENUM_VALUE_IDENTIFIER_RENAMED "C2013" "enum-value-identifier-renamed" EnumValue Renamed Dangerous "an enum value's identifier was renamed; its wire name stays";
    // Services, operations, parameters, errors.
    SERVICE_ADDED "C3001" "service-added" Service Added Safe "a service was added";
    SERVICE_REMOVED "C3002" "service-removed" Service Removed Breaking "a service was removed";
    SERVICE_BASE_PATH_CHANGED "C3003" "service-base-path-changed" Service Changed Breaking "a service's base path changed";
    OPERATION_ADDED "C3101" "operation-added" Operation Added Safe "an operation was added";
    OPERATION_REMOVED "C3102" "operation-removed" Operation Removed Breaking "an operation was removed";
    OPERATION_RENAMED "C3103" "operation-renamed" Operation Renamed Breaking "an operation was renamed";
    OPERATION_ROUTE_CHANGED "C3104" "operation-route-changed" Operation Changed Breaking "an operation's method or path changed";
    OPERATION_RESULT_CHANGED "C3105" "operation-result-changed" Operation TypeChanged Breaking "an operation's result type changed";
    OPERATION_RESULT_ADDED "C3106" "operation-result-added" Operation Added Safe "an operation that returned no body now returns one";
    OPERATION_RESULT_REMOVED "C3107" "operation-result-removed" Operation Removed Breaking "an operation no longer returns a body";
    OPERATION_GRAPHQL_ADDED "C3108" "operation-graphql-added" Operation Added Safe "an operation is now exposed in GraphQL";
    OPERATION_GRAPHQL_REMOVED "C3109" "operation-graphql-removed" Operation Removed Breaking "an operation is no longer exposed in GraphQL (or changed query/mutation)";
    OPERATION_GUARD_ADDED "C3110" "operation-guard-added" Operation Added Dangerous "an operation is now guarded by a policy";
    OPERATION_GUARD_REMOVED "C3111" "operation-guard-removed" Operation Removed Dangerous "an operation is no longer guarded by a policy";
    OPERATION_GUARD_CHANGED "C3112" "operation-guard-changed" Operation Changed Dangerous "an operation is guarded by another policy or action";
    OPERATION_PROVENANCE_REQUIRED "C3113" "operation-provenance-required" Operation MadeRequired Breaking "an operation now requires provenance";
    OPERATION_PROVENANCE_DROPPED "C3114" "operation-provenance-dropped" Operation MadeOptional Safe "an operation no longer requires provenance";
    OPERATION_SUCCESS_STATUS_CHANGED "C3115" "operation-success-status-changed" Operation Changed Breaking "an operation's success status changed";
    PARAM_ADDED_REQUIRED "C3201" "parameter-added-required" Parameter Added Breaking "a required parameter was added";
    PARAM_ADDED_OPTIONAL "C3202" "parameter-added-optional" Parameter Added Safe "an optional or defaulted parameter was added";
    PARAM_REMOVED "C3203" "parameter-removed" Parameter Removed Breaking "a parameter was removed";
    PARAM_RENAMED "C3204" "parameter-renamed" Parameter Renamed Breaking "a parameter was renamed";
    PARAM_TYPE_CHANGED "C3205" "parameter-type-changed" Parameter TypeChanged Breaking "a parameter's type changed";
    PARAM_MADE_REQUIRED "C3206" "parameter-made-required" Parameter MadeRequired Breaking "a parameter became required";
    PARAM_MADE_OPTIONAL "C3207" "parameter-made-optional" Parameter MadeOptional Safe "a parameter became optional";
    PARAM_TIGHTENED "C3208" "parameter-constraint-tightened" Parameter Tightened Breaking "a parameter accepts fewer values";
    PARAM_LOOSENED "C3209" "parameter-constraint-loosened" Parameter Loosened Safe "a parameter accepts more values";
    PARAM_DEFAULT_CHANGED "C3210" "parameter-default-changed" Parameter DefaultChanged Dangerous "a parameter's default changed";
    PARAM_WIRE_NAME_CHANGED "C3211" "parameter-wire-name-changed" Parameter Renamed Breaking "a query parameter's wire name changed";
    PARAM_IDENTIFIER_RENAMED "C3212" "parameter-identifier-renamed" Parameter Renamed Dangerous "a parameter's identifier was renamed; its wire name stays";
    ERROR_ADDED "C3301" "error-added" Error Added Dangerous "an operation declares a new error status";
    ERROR_REMOVED "C3302" "error-removed" Error Removed Safe "an operation no longer declares an error status";
    ERROR_TYPE_CHANGED "C3303" "error-type-changed" Error TypeChanged Breaking "an error status's body type changed";
    // Policies. Reported as more or less permissive where the rule structure shows it.
    POLICY_ADDED "C4001" "policy-added" Policy Added Safe "a policy was added";
    POLICY_REMOVED "C4002" "policy-removed" Policy Removed Breaking "a policy was removed";
    POLICY_DEFAULT_CHANGED "C4003" "policy-default-changed" Policy Changed Dangerous "a policy's default effect changed";
    DENY_RULE_ADDED "C4101" "deny-rule-added" PolicyRule Added Dangerous "an enforced deny rule was added (less permissive)";
    DENY_RULE_REMOVED "C4102" "deny-rule-removed" PolicyRule Removed Dangerous "an enforced deny rule was removed (more permissive)";
    ALLOW_RULE_ADDED "C4103" "allow-rule-added" PolicyRule Added Dangerous "an enforced allow rule was added (more permissive)";
    ALLOW_RULE_REMOVED "C4104" "allow-rule-removed" PolicyRule Removed Dangerous "an enforced allow rule was removed (less permissive)";
    RULE_WIDENED "C4105" "rule-condition-widened" PolicyRule Widened Dangerous "a rule's condition matches more requests";
    RULE_NARROWED "C4106" "rule-condition-narrowed" PolicyRule Narrowed Dangerous "a rule's condition matches fewer requests";
    RULE_CONDITION_CHANGED "C4107" "rule-condition-changed" PolicyRule Changed Dangerous "a rule's condition changed";
    RULE_EFFECT_CHANGED "C4108" "rule-effect-changed" PolicyRule Changed Dangerous "a rule now denies where it allowed, or the reverse";
    CANARY_PROMOTED "C4109" "canary-rule-promoted" PolicyRule Changed Dangerous "a canary rule is now enforced";
    RULE_MADE_CANARY "C4110" "rule-made-canary" PolicyRule Changed Dangerous "an enforced rule became a canary";
    CANARY_RULE_ADDED "C4111" "canary-rule-added" PolicyRule Added Safe "a canary rule was added (never enforced)";
    CANARY_RULE_REMOVED "C4112" "canary-rule-removed" PolicyRule Removed Safe "a canary rule was removed";
    RULE_RENAMED "C4113" "rule-renamed" PolicyRule Renamed Dangerous "a rule was renamed (verdicts report a new rule id)";
    // Controls and threats.
    CONTROL_ADDED "C5001" "control-added" Control Added Safe "a control was added";
    CONTROL_REMOVED "C5002" "control-removed" Control Removed Dangerous "a control was removed";
    CONTROL_REQUIREMENT_ADDED "C5003" "control-requirement-added" ControlMapping Added Safe "a control now satisfies another framework requirement";
    CONTROL_REQUIREMENT_REMOVED "C5004" "control-requirement-removed" ControlMapping Removed Dangerous "a control no longer satisfies a framework requirement";
    CONTROL_ENFORCEMENT_ADDED "C5005" "control-enforcement-added" Control Added Safe "a control is enforced by another policy";
    CONTROL_ENFORCEMENT_REMOVED "C5006" "control-enforcement-removed" Control Removed Dangerous "a control is no longer enforced by a policy";
    THREAT_ADDED "C5101" "threat-added" Threat Added Safe "a threat was added";
    THREAT_REMOVED "C5102" "threat-removed" Threat Removed Dangerous "a threat was removed from the model";
    THREAT_MITIGATION_ADDED "C5103" "threat-mitigation-added" ThreatMitigation Added Safe "a threat gained a mitigating control";
    THREAT_MITIGATION_REMOVED "C5104" "threat-mitigation-removed" ThreatMitigation Removed Dangerous "a threat lost a mitigating control";
    // Deprecations and sunsets.
    DEPRECATED "C6001" "deprecated" Deprecation Deprecated Safe "a declaration was deprecated";
    DEPRECATION_WITHDRAWN "C6002" "deprecation-withdrawn" Deprecation Removed Safe "a deprecation was withdrawn";
    SUNSET_EARLIER "C6003" "sunset-moved-earlier" Deprecation SunsetMoved Dangerous "a published sunset date was moved earlier";
    SUNSET_LATER "C6004" "sunset-moved-later" Deprecation SunsetMoved Safe "a sunset date was moved later";
    SUNSET_SET "C6005" "sunset-set" Deprecation SunsetMoved Dangerous "a deprecation now has a sunset date";
    SUNSET_REMOVED "C6006" "sunset-removed" Deprecation SunsetMoved Safe "a deprecation no longer has a sunset date";
}

/// The kind with this id (case-insensitive), or slug.
pub fn lookup(id: &str) -> Option<&'static KindInfo> {
    ALL.iter()
        .find(|k| k.id.eq_ignore_ascii_case(id) || k.slug.eq_ignore_ascii_case(id))
}
