//! Declarations: scalars, enums, records (from object and input types) and the service.

use std::collections::BTreeSet;

use async_graphql_parser::Positioned;
use async_graphql_parser::types::{
    FieldDefinition, InputValueDefinition, Type, TypeDefinition, TypeKind,
};
use async_graphql_value::ConstValue;
use charter::diagnostics::codes;
use charter::naming::{self, Names};

use super::super::names::fit;
use super::{Converter, KNOWN_SCALARS, Kind, base_name, last_segment, values};

impl Converter<'_> {
    pub(super) fn declaration(&mut self, t: &Positioned<TypeDefinition>, out: &mut String) {
        let name = t.node.name.node.to_string();
        if self.is_root(&name) {
            if let TypeKind::Object(o) = &t.node.kind
                && !o.implements.is_empty()
            {
                self.warn(
                    codes::W8050,
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
                self.warn(codes::W8050, format!("{what} {name}"), t.pos, format!("the {what} `{name}` is not imported: Charter has no abstract types yet; fields of this type are left out"));
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
                self.warn(codes::W8052, format!("scalar {name}"), t.pos, message);
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
                Self::named_doc(out, "", Some(&Positioned::new(doc, t.pos)), &name, &charter);
                out.push_str(&format!("type {charter} = {target}\n\n"));
            }
            TypeKind::Enum(e) if e.values.is_empty() => {
                // Not a valid schema, but it parses: keep the name, as a string.
                self.warn(
                    codes::W8050,
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
                Self::named_doc(out, "", t.node.description.as_ref(), &name, &charter);
                out.push_str(&format!("type {charter} = string\n\n"));
            }
            TypeKind::Enum(e) => {
                Self::named_doc(out, "", t.node.description.as_ref(), &name, &charter);
                self.other_directives(&name, &t.node.directives);
                out.push_str(&format!("enum {charter} {{\n"));
                for v in &e.values {
                    let value = v.node.value.node.to_string();
                    let charter_value = self
                        .enum_value(&name, &value)
                        .unwrap_or_default()
                        .to_string();
                    self.member_head(out, v.node.description.as_ref(), &value, &charter_value);
                    self.annotations(out, "  ", &format!("{name}.{value}"), &v.node.directives);
                    out.push_str(&format!("  {charter_value}\n"));
                }
                out.push_str("}\n\n");
            }
            TypeKind::Object(o) => {
                if !o.implements.is_empty() {
                    self.warn(
                        codes::W8050,
                        format!("implements {name}"),
                        t.pos,
                        format!("the interfaces `{name}` implements are not imported"),
                    );
                }
                Self::named_doc(out, "", t.node.description.as_ref(), &name, &charter);
                self.other_directives(&name, &t.node.directives);
                out.push_str(&format!("record {charter} {{\n"));
                let mut taken = Names::default();
                let mut imported = 0;
                for f in &o.fields {
                    imported += usize::from(self.output_field(&name, f, &mut taken, out));
                }
                out.push_str("}\n\n");
                if imported == 0 {
                    self.warn(
                        codes::W8050,
                        format!("type {name}"),
                        t.node.name.pos,
                        format!(
                            "none of the fields of `{name}` can be imported: the record `{charter}` \
                             is empty, and `charter build --target graphql` refuses an empty type"
                        ),
                    );
                }
            }
            TypeKind::InputObject(i) => {
                // The graphql target names a record used as an input `<Record>Input` (unless
                // the name already ends in `Input`): say so, clients declare variables by name.
                if !charter.ends_with("Input") {
                    self.warn(
                        codes::W8051,
                        format!("type {name}"),
                        t.node.name.pos,
                        format!(
                            "input types become records; `charter build --target graphql` names \
                             the record's input type `{charter}Input`, not `{name}`, which \
                             changes client variable declarations (`$x: {name}!`)"
                        ),
                    );
                }
                Self::named_doc(out, "", t.node.description.as_ref(), &name, &charter);
                self.other_directives(&name, &t.node.directives);
                out.push_str(&format!("record {charter} {{\n"));
                let mut taken = Names::default();
                for f in &i.fields {
                    self.input_field(&name, f, &mut taken, out);
                }
                out.push_str("}\n\n");
            }
        }
    }

    /// Whether a field of this output type can be imported; warns when not.
    pub(super) fn importable_output(&mut self, coordinate: &str, ty: &Positioned<Type>) -> bool {
        let base = base_name(&ty.node).to_string();
        let why = match self.kind_of(&base) {
            Some(Kind::Interface) => "an interface",
            Some(Kind::Union) => "a union",
            _ if self.is_root(&base) => "a root operation type",
            _ => return true,
        };
        self.warn(codes::W8050, format!("field {coordinate}"), ty.pos, format!("`{coordinate}` is not imported: its type `{base}` is {why}, which Charter cannot express"));
        false
    }

    pub(super) fn member_name(
        &mut self,
        name: &Positioned<async_graphql_value::Name>,
        taken: &mut Names,
    ) -> String {
        // A GraphQL name that is no Charter identifier (a keyword, a type name) is renamed and
        // kept on the wire with `@wire` (`member_head`): nothing is lost, no warning.
        fit(name.node.as_str(), false, taken)
    }

    /// The member `name` (its Charter identifier) with its doc comment and, when renamed, the
    /// `@wire` that keeps its GraphQL name `original` (a GraphQL Name: ASCII letters, digits and
    /// `_`, nothing to escape).
    fn member_head(
        &mut self,
        out: &mut String,
        description: Option<&Positioned<String>>,
        original: &str,
        name: &str,
    ) {
        Self::named_doc(out, "  ", description, original, original);
        if original != name {
            out.push_str(&format!("  @wire(\"{original}\")\n"));
        }
    }

    pub(super) fn output_field(
        &mut self,
        owner: &str,
        f: &Positioned<FieldDefinition>,
        taken: &mut Names,
        out: &mut String,
    ) -> bool {
        let coordinate = format!("{owner}.{}", f.node.name.node);
        if !self.importable_output(&coordinate, &f.node.ty) {
            return false;
        }
        if !f.node.arguments.is_empty() {
            let args: Vec<String> = f
                .node
                .arguments
                .iter()
                .map(|a| a.node.name.node.to_string())
                .collect();
            self.warn(
                codes::W8050,
                format!("arguments {coordinate}"),
                f.pos,
                format!(
                    "record fields take no arguments: ({}) of `{coordinate}` are not imported",
                    args.join(", ")
                ),
            );
        }
        let name = self.member_name(&f.node.name, taken);
        let original = f.node.name.node.as_str();
        self.member_head(out, f.node.description.as_ref(), original, &name);
        self.annotations(out, "  ", &coordinate, &f.node.directives);
        let ty = self.ty(&f.node.ty.node);
        out.push_str(&format!("  {name}: {ty}\n"));
        true
    }

    pub(super) fn input_field(
        &mut self,
        owner: &str,
        f: &Positioned<InputValueDefinition>,
        taken: &mut Names,
        out: &mut String,
    ) {
        let coordinate = format!("{owner}.{}", f.node.name.node);
        let name = self.member_name(&f.node.name, taken);
        let original = f.node.name.node.as_str();
        self.member_head(out, f.node.description.as_ref(), original, &name);
        self.annotations(out, "  ", &coordinate, &f.node.directives);
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
                    codes::W8053,
                    format!("default {coordinate}"),
                    value.pos,
                    format!("the default of `{coordinate}` is not imported: {why}"),
                );
                String::new()
            }
        }
    }

    pub(super) fn service(
        &mut self,
        types: &[&Positioned<TypeDefinition>],
        taken: &mut Names,
    ) -> String {
        let mut wanted = naming::pascal(last_segment(self.package));
        if taken.is_taken(&wanted) {
            wanted.push_str("Service");
        }
        let service = fit(&wanted, true, taken);
        let mut ops = String::new();
        let mut op_names = Names::default();
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
                super::super::ops::operation(
                    self,
                    kind,
                    &root,
                    f,
                    &mut op_names,
                    &mut routes,
                    &mut ops,
                );
            }
        }
        if ops.is_empty() {
            return String::new();
        }
        format!(
            "/// The operations of the imported schema's query and mutation roots.\nservice {service} {{\n{ops}}}\n"
        )
    }
}
