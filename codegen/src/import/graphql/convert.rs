//! The conversion proper: a parsed document in, Charter source text (unformatted) out.

use charter::diagnostics::codes;
use std::collections::{BTreeMap, BTreeSet};

use async_graphql_parser::Pos;
use async_graphql_parser::Positioned;
use async_graphql_parser::types::{
    BaseType, ConstDirective, FieldDefinition, InputValueDefinition, ServiceDocument, Type,
    TypeDefinition, TypeKind, TypeSystemDefinition,
};
use async_graphql_value::ConstValue;

use super::names::{fit, pascal, problem};
use super::{ImportError, ImportWarning, UNKNOWN_SINCE, last_segment, values, warning};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Builtin,
    Scalar,
    Object,
    Interface,
    Union,
    Enum,
    Input,
}

struct Info {
    kind: Kind,
    /// The Charter name (empty for dropped kinds).
    charter: String,
    /// Enum values: GraphQL name → Charter name.
    values: BTreeMap<String, String>,
    /// For custom scalars: the Charter type the alias names.
    target: &'static str,
}

/// Custom scalars with a Charter primitive of the same meaning.
const KNOWN_SCALARS: [(&str, &str); 5] = [
    ("DateTime", "timestamp"),
    ("Date", "date"),
    ("UUID", "uuid"),
    ("Decimal", "decimal"),
    ("Bytes", "bytes"),
];

pub struct Converter<'a> {
    file: &'a str,
    package: &'a str,
    warnings: Vec<ImportWarning>,
    positions: Vec<(usize, usize)>,
    types: BTreeMap<String, Info>,
    query: Option<String>,
    mutation: Option<String>,
    subscription: Option<String>,
    id_used: bool,
}

impl<'a> Converter<'a> {
    pub fn new(file: &'a str, package: &'a str) -> Self {
        let mut types = BTreeMap::new();
        for (name, charter) in [
            ("Int", "int"),
            ("Float", "float"),
            ("String", "string"),
            ("Boolean", "bool"),
            ("ID", "ID"),
        ] {
            types.insert(
                name.to_string(),
                Info {
                    kind: Kind::Builtin,
                    charter: charter.to_string(),
                    values: BTreeMap::new(),
                    target: "",
                },
            );
        }
        Converter {
            file,
            package,
            warnings: Vec::new(),
            positions: Vec::new(),
            types,
            query: None,
            mutation: None,
            subscription: None,
            id_used: false,
        }
    }

    pub fn kind_of(&self, name: &str) -> Option<Kind> {
        self.types.get(name).map(|i| i.kind)
    }

    pub fn enum_value(&self, ty: &str, value: &str) -> Option<&str> {
        self.types.get(ty)?.values.get(value).map(String::as_str)
    }

    pub fn scalar_is_string(&self, name: &str) -> bool {
        self.types.get(name).is_some_and(|i| i.target == "string")
    }

    fn loc(&self, pos: Pos) -> String {
        format!("{}:{}:{}", self.file, pos.line, pos.column)
    }

    fn warn(&mut self, code: &'static str, construct: String, pos: Pos, message: String) {
        let location = self.loc(pos);
        self.positions.push((pos.line, pos.column));
        self.warnings
            .push(warning(code, construct, location, message));
    }

    /// The warnings in document order.
    pub fn take_warnings(&mut self) -> Vec<ImportWarning> {
        let mut pairs: Vec<((usize, usize), ImportWarning)> = std::mem::take(&mut self.positions)
            .into_iter()
            .zip(std::mem::take(&mut self.warnings))
            .collect();
        pairs.sort_by_key(|(pos, _)| *pos);
        pairs.into_iter().map(|(_, w)| w).collect()
    }

    pub fn run(&mut self, doc: &ServiceDocument) -> Result<String, ImportError> {
        let types = self.collect(doc)?;
        self.validate(&types)?;
        let mut taken: BTreeSet<String> = BTreeSet::from(["ID".to_string()]);
        for t in &types {
            self.name_type(t, &mut taken);
        }
        let mut body = String::new();
        for t in &types {
            self.declaration(t, &mut body);
        }
        let service = self.service(&types, &mut taken);
        let mut out = format!(
            "// Imported from `{}` by `charter import graphql`.\npackage {}\n\n",
            self.file, self.package
        );
        if self.id_used {
            out.push_str(
                "/// GraphQL's `ID`: a unique identifier, serialized as a string.\ntype ID = string\n\n",
            );
        }
        out.push_str(&body);
        out.push_str(&service);
        Ok(out)
    }

    /// Registers every type definition; warns about what is not imported at all.
    fn collect<'d>(
        &mut self,
        doc: &'d ServiceDocument,
    ) -> Result<Vec<&'d Positioned<TypeDefinition>>, ImportError> {
        let mut types = Vec::new();
        let mut schema_roots = None;
        for def in &doc.definitions {
            match def {
                TypeSystemDefinition::Schema(s) => {
                    if s.node.extend {
                        self.warn(
                            codes::W8050.0,
                            "extension schema".into(),
                            s.pos,
                            "schema extensions are not imported".into(),
                        );
                        continue;
                    }
                    self.other_directives("schema", &s.node.directives);
                    schema_roots = Some((
                        s.node.query.as_ref().map(|n| n.node.to_string()),
                        s.node.mutation.as_ref().map(|n| n.node.to_string()),
                        s.node.subscription.as_ref().map(|n| n.node.to_string()),
                    ));
                }
                TypeSystemDefinition::Directive(d) => {
                    let name = &d.node.name.node;
                    self.warn(
                        codes::W8050.0,
                        format!("directive @{name}"),
                        d.pos,
                        format!("the directive definition `@{name}` is not imported: Charter has no custom directives"),
                    );
                }
                TypeSystemDefinition::Type(t) => {
                    let name = t.node.name.node.to_string();
                    if t.node.extend {
                        self.warn(
                            codes::W8050.0,
                            format!("extension {name}"),
                            t.pos,
                            format!("the extension of `{name}` is not imported: merge it into the type's definition first"),
                        );
                        continue;
                    }
                    let kind = match &t.node.kind {
                        TypeKind::Scalar => Kind::Scalar,
                        TypeKind::Object(_) => Kind::Object,
                        TypeKind::Interface(_) => Kind::Interface,
                        TypeKind::Union(_) => Kind::Union,
                        TypeKind::Enum(_) => Kind::Enum,
                        TypeKind::InputObject(_) => Kind::Input,
                    };
                    if self.types.contains_key(&name) {
                        return Err(ImportError {
                            code: codes::E8054.0,
                            message: format!("`{name}` is defined twice"),
                            location: Some(self.loc(t.node.name.pos)),
                            help: Some("a GraphQL schema defines each type once; remove or rename one (use `extend type` to add fields)".into()),
                        });
                    }
                    self.types.insert(
                        name,
                        Info {
                            kind,
                            charter: String::new(),
                            values: BTreeMap::new(),
                            target: "",
                        },
                    );
                    types.push(t);
                }
            }
        }
        let is_object = |c: &Self, n: &str| c.kind_of(n) == Some(Kind::Object);
        let (query, mutation, subscription) = match schema_roots {
            Some(roots) => roots,
            None => (
                is_object(self, "Query").then(|| "Query".to_string()),
                is_object(self, "Mutation").then(|| "Mutation".to_string()),
                is_object(self, "Subscription").then(|| "Subscription".to_string()),
            ),
        };
        for root in [&query, &mutation, &subscription].into_iter().flatten() {
            if !is_object(self, root) {
                return Err(ImportError {
                    code: codes::E8052.0,
                    message: format!("the root type `{root}` is not an object type of the document"),
                    location: Some(self.file.to_string()),
                    help: Some("the schema's `query`, `mutation` and `subscription` must name object types".into()),
                });
            }
        }
        if let Some(sub) = &subscription
            && let Some(t) = types.iter().find(|t| t.node.name.node.as_str() == sub)
        {
            let message = format!(
                "the subscription root `{sub}` is not imported: Charter operations are requests \
                 and responses"
            );
            self.warn(
                codes::W8050.0,
                format!("subscription {sub}"),
                t.pos,
                message,
            );
        }
        for (role, root) in [("query", &query), ("mutation", &mutation)] {
            let wanted = if role == "query" { "Query" } else { "Mutation" };
            if let Some(t) = root
                .as_ref()
                .and_then(|r| types.iter().find(|t| t.node.name.node.as_str() == r))
                && t.node.name.node.as_str() != wanted
            {
                let name = t.node.name.node.to_string();
                let message = format!(
                    "the {role} root `{name}` is imported as service operations; \
                     `charter build --target graphql` names it `{wanted}`"
                );
                self.warn(codes::W8051.0, format!("type {name}"), t.pos, message);
            }
        }
        self.query = query;
        self.mutation = mutation;
        self.subscription = subscription;
        Ok(types)
    }

    fn is_root(&self, name: &str) -> bool {
        [&self.query, &self.mutation, &self.subscription]
            .iter()
            .any(|r| r.as_deref() == Some(name))
    }

    /// Every type reference names a type of the right kind.
    fn validate(&self, types: &[&Positioned<TypeDefinition>]) -> Result<(), ImportError> {
        for t in types {
            let owner = t.node.name.node.as_str();
            match &t.node.kind {
                TypeKind::Object(o) => self.check_fields(owner, &o.fields)?,
                TypeKind::Interface(i) => self.check_fields(owner, &i.fields)?,
                TypeKind::InputObject(i) => {
                    for f in &i.fields {
                        self.check_ref(&f.node.ty, true, &format!("{owner}.{}", f.node.name.node))?;
                    }
                }
                TypeKind::Union(u) => {
                    for m in &u.members {
                        if self.kind_of(m.node.as_str()) != Some(Kind::Object) {
                            return Err(self.bad_ref(
                                m.node.as_str(),
                                m.pos,
                                owner,
                                "an object type",
                            ));
                        }
                    }
                }
                TypeKind::Scalar | TypeKind::Enum(_) => {}
            }
        }
        Ok(())
    }

    fn check_fields(
        &self,
        owner: &str,
        fields: &[Positioned<FieldDefinition>],
    ) -> Result<(), ImportError> {
        for f in fields {
            let coordinate = format!("{owner}.{}", f.node.name.node);
            self.check_ref(&f.node.ty, false, &coordinate)?;
            for a in &f.node.arguments {
                self.check_ref(
                    &a.node.ty,
                    true,
                    &format!("{coordinate}({}:)", a.node.name.node),
                )?;
            }
        }
        Ok(())
    }

    fn check_ref(
        &self,
        ty: &Positioned<Type>,
        input: bool,
        coordinate: &str,
    ) -> Result<(), ImportError> {
        let name = base_name(&ty.node);
        let ok = match self.kind_of(name) {
            None => false,
            Some(Kind::Builtin | Kind::Scalar | Kind::Enum) => true,
            Some(Kind::Input) => input,
            Some(Kind::Object | Kind::Interface | Kind::Union) => !input,
        };
        if ok {
            return Ok(());
        }
        let wanted = if input {
            "an input type (scalar, enum or input object)"
        } else {
            "an output type (scalar, enum, object, interface or union)"
        };
        Err(self.bad_ref(name, ty.pos, coordinate, wanted))
    }

    fn bad_ref(&self, name: &str, pos: Pos, coordinate: &str, wanted: &str) -> ImportError {
        let message = match self.kind_of(name) {
            None => {
                format!("`{coordinate}` refers to `{name}`, which the document does not define")
            }
            Some(_) => format!("`{coordinate}` refers to `{name}`, which is not {wanted}"),
        };
        ImportError {
            code: codes::E8052.0,
            message,
            location: Some(self.loc(pos)),
            help: Some("define the type in the document, or correct the reference".into()),
        }
    }

    /// Chooses the Charter name of a type that becomes a declaration.
    fn name_type(&mut self, t: &Positioned<TypeDefinition>, taken: &mut BTreeSet<String>) {
        let name = t.node.name.node.to_string();
        let kind = self.kind_of(&name);
        if matches!(kind, Some(Kind::Interface | Kind::Union)) || self.is_root(&name) {
            return;
        }
        if let Some(why) = problem(&name, true, taken) {
            let charter = fit(&name, true, taken);
            self.warn(
                codes::W8051.0,
                format!("type {name}"),
                t.node.name.pos,
                format!("`{name}` {why}; imported as `{charter}`"),
            );
            self.set_name(&name, charter);
        } else {
            let charter = fit(&name, true, taken);
            self.set_name(&name, charter);
        }
        if let TypeKind::Enum(e) = &t.node.kind {
            let mut values_taken = BTreeSet::new();
            let mut values = BTreeMap::new();
            for v in &e.values {
                let value = v.node.value.node.to_string();
                if let Some(why) = problem(&value, false, &values_taken) {
                    let charter = fit(&value, false, &mut values_taken);
                    self.warn(
                        codes::W8051.0,
                        format!("value {name}.{value}"),
                        v.node.value.pos,
                        format!("`{value}` {why}; imported as `{charter}`"),
                    );
                    values.insert(value, charter);
                } else {
                    values.insert(value.clone(), fit(&value, false, &mut values_taken));
                }
            }
            if let Some(info) = self.types.get_mut(&name) {
                info.values = values;
            }
        }
    }

    fn set_name(&mut self, name: &str, charter: String) {
        if let Some(info) = self.types.get_mut(name) {
            info.charter = charter;
        }
    }

    /// The Charter type of a GraphQL type reference.
    pub fn ty(&mut self, ty: &Type) -> String {
        let base = match &ty.base {
            BaseType::Named(n) => {
                if n.as_str() == "ID" {
                    self.id_used = true;
                }
                self.types
                    .get(n.as_str())
                    .map(|i| i.charter.clone())
                    .unwrap_or_default()
            }
            BaseType::List(inner) => format!("list<{}>", self.ty(inner)),
        };
        if ty.nullable {
            format!("{base}?")
        } else {
            base
        }
    }

    fn kind_of_ref(&self, ty: &Type) -> Option<Kind> {
        self.kind_of(base_name(ty))
    }

    fn doc(out: &mut String, indent: &str, description: Option<&Positioned<String>>) {
        let Some(text) = description.map(|d| d.node.trim()).filter(|t| !t.is_empty()) else {
            return;
        };
        for line in text.lines() {
            let line = line.trim_end();
            if line.is_empty() {
                out.push_str(&format!("{indent}///\n"));
            } else {
                out.push_str(&format!("{indent}/// {line}\n"));
            }
        }
    }

    /// `@deprecated(...)` for a deprecated item, and warnings for every other directive.
    fn annotations(
        &mut self,
        out: &mut String,
        indent: &str,
        construct: &str,
        directives: &[Positioned<ConstDirective>],
    ) {
        for d in directives {
            if d.node.name.node.as_str() != "deprecated" {
                self.other_directive(construct, d);
                continue;
            }
            let reason = d
                .node
                .arguments
                .iter()
                .find(|(n, _)| n.node.as_str() == "reason")
                .and_then(|(_, v)| match &v.node {
                    ConstValue::String(s) => Some(s.clone()),
                    _ => None,
                });
            let note = reason
                .map(|r| format!(", note: {}", charter::syntax::lex::quote(&r)))
                .unwrap_or_default();
            out.push_str(&format!(
                "{indent}@deprecated(since: {UNKNOWN_SINCE}{note})\n"
            ));
            self.warn(codes::W8054.0, format!("deprecation {construct}"), d.pos, format!("GraphQL deprecations carry no date: `since` is set to {UNKNOWN_SINCE}; replace it with the day `{construct}` was deprecated"));
        }
    }

    fn other_directives(&mut self, construct: &str, directives: &[Positioned<ConstDirective>]) {
        for d in directives {
            self.other_directive(construct, d);
        }
    }

    fn other_directive(&mut self, construct: &str, d: &Positioned<ConstDirective>) {
        let name = d.node.name.node.to_string();
        self.warn(
            codes::W8050.0,
            format!("directive @{name}"),
            d.pos,
            format!("the directive `@{name}` on `{construct}` is not imported"),
        );
    }

    fn declaration(&mut self, t: &Positioned<TypeDefinition>, out: &mut String) {
        let name = t.node.name.node.to_string();
        if self.is_root(&name) {
            if let TypeKind::Object(o) = &t.node.kind
                && !o.implements.is_empty()
            {
                self.warn(
                    codes::W8050.0,
                    format!("implements {name}"),
                    t.pos,
                    format!("the interfaces `{name}` implements are not imported"),
                );
            }
            self.other_directives(&name, &t.node.directives);
            return;
        }
        let charter = self
            .types
            .get(&name)
            .map(|i| i.charter.clone())
            .unwrap_or_default();
        match &t.node.kind {
            TypeKind::Interface(_) | TypeKind::Union(_) => {
                let what = if matches!(t.node.kind, TypeKind::Union(_)) {
                    "union"
                } else {
                    "interface"
                };
                self.warn(codes::W8050.0, format!("{what} {name}"), t.pos, format!("the {what} `{name}` is not imported: Charter has no abstract types yet; fields of this type are left out"));
            }
            TypeKind::Scalar => {
                let known = KNOWN_SCALARS
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, p)| *p);
                let target = known.unwrap_or("string");
                if let Some(info) = self.types.get_mut(&name) {
                    info.target = target;
                }
                let message = match known {
                    Some(p) => format!(
                        "the custom scalar `{name}` is read as Charter `{p}`; check that its format matches"
                    ),
                    None => format!(
                        "the custom scalar `{name}` is imported as an alias of `string`: Charter cannot check its format"
                    ),
                };
                self.warn(codes::W8052.0, format!("scalar {name}"), t.pos, message);
                let mut doc = t
                    .node
                    .description
                    .as_ref()
                    .map(|d| d.node.trim().to_string())
                    .unwrap_or_default();
                for d in &t.node.directives {
                    let url = d
                        .node
                        .arguments
                        .iter()
                        .find(|(n, _)| n.node.as_str() == "url")
                        .and_then(|(_, v)| match &v.node {
                            ConstValue::String(s) => Some(s.clone()),
                            _ => None,
                        });
                    match url.filter(|_| d.node.name.node.as_str() == "specifiedBy") {
                        Some(url) => {
                            if !doc.is_empty() {
                                doc.push_str("\n\n");
                            }
                            doc.push_str(&format!("Specified by <{url}>."));
                        }
                        None => self.other_directive(&name, d),
                    }
                }
                Self::doc(out, "", Some(&Positioned::new(doc, t.pos)));
                out.push_str(&format!("type {charter} = {target}\n\n"));
            }
            TypeKind::Enum(e) if e.values.is_empty() => {
                // Not a valid schema, but it parses: keep the name, as a string.
                self.warn(
                    codes::W8050.0,
                    format!("type {name}"),
                    t.pos,
                    format!(
                        "the enum `{name}` has no values; it is imported as an alias of `string`"
                    ),
                );
                if let Some(info) = self.types.get_mut(&name) {
                    info.kind = Kind::Scalar;
                    info.target = "string";
                }
                Self::doc(out, "", t.node.description.as_ref());
                out.push_str(&format!("type {charter} = string\n\n"));
            }
            TypeKind::Enum(e) => {
                Self::doc(out, "", t.node.description.as_ref());
                self.other_directives(&name, &t.node.directives);
                out.push_str(&format!("enum {charter} {{\n"));
                for v in &e.values {
                    let value = v.node.value.node.to_string();
                    Self::doc(out, "  ", v.node.description.as_ref());
                    self.annotations(out, "  ", &format!("{name}.{value}"), &v.node.directives);
                    let charter_value = self
                        .enum_value(&name, &value)
                        .unwrap_or_default()
                        .to_string();
                    out.push_str(&format!("  {charter_value}\n"));
                }
                out.push_str("}\n\n");
            }
            TypeKind::Object(o) => {
                if !o.implements.is_empty() {
                    self.warn(
                        codes::W8050.0,
                        format!("implements {name}"),
                        t.pos,
                        format!("the interfaces `{name}` implements are not imported"),
                    );
                }
                Self::doc(out, "", t.node.description.as_ref());
                self.other_directives(&name, &t.node.directives);
                out.push_str(&format!("record {charter} {{\n"));
                let mut taken = BTreeSet::new();
                for f in &o.fields {
                    self.output_field(&name, f, &mut taken, out);
                }
                out.push_str("}\n\n");
            }
            TypeKind::InputObject(i) => {
                Self::doc(out, "", t.node.description.as_ref());
                self.other_directives(&name, &t.node.directives);
                out.push_str(&format!("record {charter} {{\n"));
                let mut taken = BTreeSet::new();
                for f in &i.fields {
                    self.input_field(&name, f, &mut taken, out);
                }
                out.push_str("}\n\n");
            }
        }
    }

    /// Whether a field of this output type can be imported; warns when not.
    fn importable_output(&mut self, coordinate: &str, ty: &Positioned<Type>) -> bool {
        let base = base_name(&ty.node).to_string();
        let why = match self.kind_of(&base) {
            Some(Kind::Interface) => "an interface",
            Some(Kind::Union) => "a union",
            _ if self.is_root(&base) => "a root operation type",
            _ => return true,
        };
        self.warn(codes::W8050.0, format!("field {coordinate}"), ty.pos, format!("`{coordinate}` is not imported: its type `{base}` is {why}, which Charter cannot express"));
        false
    }

    fn member_name(
        &mut self,
        coordinate: &str,
        name: &Positioned<async_graphql_value::Name>,
        taken: &mut BTreeSet<String>,
    ) -> String {
        let original = name.node.as_str();
        if let Some(why) = problem(original, false, taken) {
            let charter = fit(original, false, taken);
            self.warn(
                codes::W8051.0,
                format!("field {coordinate}"),
                name.pos,
                format!("`{original}` {why}; imported as `{charter}`"),
            );
            charter
        } else {
            fit(original, false, taken)
        }
    }

    fn output_field(
        &mut self,
        owner: &str,
        f: &Positioned<FieldDefinition>,
        taken: &mut BTreeSet<String>,
        out: &mut String,
    ) {
        let coordinate = format!("{owner}.{}", f.node.name.node);
        if !self.importable_output(&coordinate, &f.node.ty) {
            return;
        }
        if !f.node.arguments.is_empty() {
            let args: Vec<String> = f
                .node
                .arguments
                .iter()
                .map(|a| a.node.name.node.to_string())
                .collect();
            self.warn(
                codes::W8050.0,
                format!("arguments {coordinate}"),
                f.pos,
                format!(
                    "record fields take no arguments: ({}) of `{coordinate}` are not imported",
                    args.join(", ")
                ),
            );
        }
        Self::doc(out, "  ", f.node.description.as_ref());
        self.annotations(out, "  ", &coordinate, &f.node.directives);
        let name = self.member_name(&coordinate, &f.node.name, taken);
        let ty = self.ty(&f.node.ty.node);
        out.push_str(&format!("  {name}: {ty}\n"));
    }

    fn input_field(
        &mut self,
        owner: &str,
        f: &Positioned<InputValueDefinition>,
        taken: &mut BTreeSet<String>,
        out: &mut String,
    ) {
        let coordinate = format!("{owner}.{}", f.node.name.node);
        Self::doc(out, "  ", f.node.description.as_ref());
        self.annotations(out, "  ", &coordinate, &f.node.directives);
        let name = self.member_name(&coordinate, &f.node.name, taken);
        let ty = self.ty(&f.node.ty.node);
        let default = self.default_of(&coordinate, f);
        out.push_str(&format!("  {name}: {ty}{default}\n"));
    }

    /// ` = value`, or nothing (with a warning when a default did not fit).
    pub fn default_of(&mut self, coordinate: &str, v: &Positioned<InputValueDefinition>) -> String {
        let Some(value) = &v.node.default_value else {
            return String::new();
        };
        match values::default(self, &value.node, &v.node.ty.node) {
            Ok(literal) => format!(" = {literal}"),
            Err(why) => {
                self.warn(
                    codes::W8053.0,
                    format!("default {coordinate}"),
                    value.pos,
                    format!("the default of `{coordinate}` is not imported: {why}"),
                );
                String::new()
            }
        }
    }

    fn service(
        &mut self,
        types: &[&Positioned<TypeDefinition>],
        taken: &mut BTreeSet<String>,
    ) -> String {
        let mut wanted = pascal(last_segment(self.package));
        if taken.contains(&wanted) {
            wanted.push_str("Service");
        }
        let service = fit(&wanted, true, taken);
        let mut ops = String::new();
        let mut op_names = BTreeSet::new();
        let mut routes = BTreeSet::new();
        for (kind, root) in [
            ("query", self.query.clone()),
            ("mutation", self.mutation.clone()),
        ] {
            let Some(root) = root else { continue };
            let Some(t) = types.iter().find(|t| t.node.name.node.as_str() == root) else {
                continue;
            };
            let TypeKind::Object(o) = &t.node.kind else {
                continue;
            };
            for f in &o.fields {
                super::ops::operation(self, kind, &root, f, &mut op_names, &mut routes, &mut ops);
            }
        }
        if ops.is_empty() {
            return String::new();
        }
        format!(
            "/// The operations of the imported schema's query and mutation roots.\nservice {service} {{\n{ops}}}\n"
        )
    }

    pub(super) fn kind_of_type(&self, ty: &Type) -> Option<Kind> {
        self.kind_of_ref(ty)
    }

    pub(super) fn warn_at(
        &mut self,
        code: &'static str,
        construct: String,
        pos: Pos,
        message: String,
    ) {
        self.warn(code, construct, pos, message);
    }

    pub(super) fn importable(&mut self, coordinate: &str, ty: &Positioned<Type>) -> bool {
        self.importable_output(coordinate, ty)
    }

    pub(super) fn annotate(
        &mut self,
        out: &mut String,
        indent: &str,
        construct: &str,
        directives: &[Positioned<ConstDirective>],
    ) {
        self.annotations(out, indent, construct, directives);
    }

    pub(super) fn describe(
        out: &mut String,
        indent: &str,
        description: Option<&Positioned<String>>,
    ) {
        Self::doc(out, indent, description);
    }
}

/// The named type at the bottom of a (list) type.
pub fn base_name(ty: &Type) -> &str {
    match &ty.base {
        BaseType::Named(n) => n.as_str(),
        BaseType::List(inner) => base_name(inner),
    }
}
