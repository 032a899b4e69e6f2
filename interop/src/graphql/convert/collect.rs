//! Registering the document's definitions and checking its type references.

use std::collections::{BTreeMap, BTreeSet};

use crate::Location;
use async_graphql_parser::types::{
    FieldDefinition, InterfaceType, ObjectType, ServiceDocument, Type, TypeDefinition, TypeKind,
    TypeSystemDefinition,
};
use async_graphql_parser::{Pos, Positioned};
use charter::diagnostics::codes;

use super::{Converter, ImportError, Info, Kind, base_name};

impl Converter<'_> {
    /// Registers every type definition; warns about what is not imported at all.
    pub(super) fn collect<'d>(
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
                            codes::W8050,
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
                        codes::W8050,
                        format!("directive @{name}"),
                        d.pos,
                        format!("the directive definition `@{name}` is not imported: Charter has no custom directives"),
                    );
                }
                TypeSystemDefinition::Type(t) => {
                    let name = t.node.name.node.to_string();
                    if t.node.extend {
                        self.warn(
                            codes::W8050,
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
                            code: codes::E8054,
                            message: format!("`{name}` is defined twice"),
                            location: Some(Box::new(self.loc(t.node.name.pos))),
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
                    code: codes::E8052,
                    message: format!("the root type `{root}` is not an object type of the document"),
                    location: Some(Box::new(Location::file(self.file))),
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
            self.warn(codes::W8050, format!("subscription {sub}"), t.pos, message);
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
                self.warn(codes::W8051, format!("type {name}"), t.pos, message);
            }
        }
        self.query = query;
        self.mutation = mutation;
        self.subscription = subscription;
        Ok(types)
    }

    pub(super) fn is_root(&self, name: &str) -> bool {
        [&self.query, &self.mutation, &self.subscription]
            .iter()
            .any(|r| r.as_deref() == Some(name))
    }

    /// Every type reference names a type of the right kind.
    pub(super) fn validate(
        &self,
        types: &[&Positioned<TypeDefinition>],
    ) -> Result<(), ImportError> {
        for t in types {
            let owner = t.node.name.node.as_str();
            self.check_members(owner, &t.node.kind)?;
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

    /// A field, input field, enum value or argument defined twice in one type: the SDL is
    /// invalid (GraphQL requires unique names there), never imported as a renamed copy.
    fn check_members(&self, owner: &str, kind: &TypeKind) -> Result<(), ImportError> {
        let mut members: Vec<(String, Pos, &str)> = Vec::new();
        match kind {
            TypeKind::Object(ObjectType { fields, .. })
            | TypeKind::Interface(InterfaceType { fields, .. }) => {
                for f in fields {
                    members.push((f.node.name.node.to_string(), f.node.name.pos, "field"));
                    let mut args = BTreeSet::new();
                    for a in &f.node.arguments {
                        if !args.insert(a.node.name.node.as_str()) {
                            return Err(self.twice(
                                &format!("{owner}.{}({}:)", f.node.name.node, a.node.name.node),
                                "argument",
                                a.node.name.pos,
                            ));
                        }
                    }
                }
            }
            TypeKind::InputObject(i) => {
                for f in &i.fields {
                    members.push((f.node.name.node.to_string(), f.node.name.pos, "input field"));
                }
            }
            TypeKind::Enum(e) => {
                for v in &e.values {
                    members.push((
                        v.node.value.node.to_string(),
                        v.node.value.pos,
                        "enum value",
                    ));
                }
            }
            TypeKind::Scalar | TypeKind::Union(_) => {}
        }
        let mut seen = BTreeSet::new();
        for (name, pos, what) in &members {
            if !seen.insert(name.as_str()) {
                return Err(self.twice(&format!("{owner}.{name}"), what, *pos));
            }
        }
        Ok(())
    }

    fn twice(&self, coordinate: &str, what: &str, pos: Pos) -> ImportError {
        ImportError {
            code: codes::E8054,
            message: format!("the {what} `{coordinate}` is defined twice"),
            location: Some(Box::new(self.loc(pos))),
            help: Some(format!(
                "a GraphQL type defines each {what} once; remove or rename one"
            )),
        }
    }

    pub(super) fn check_fields(
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

    pub(super) fn check_ref(
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

    pub(super) fn bad_ref(
        &self,
        name: &str,
        pos: Pos,
        coordinate: &str,
        wanted: &str,
    ) -> ImportError {
        let message = match self.kind_of(name) {
            None => {
                format!("`{coordinate}` refers to `{name}`, which the document does not define")
            }
            Some(_) => format!("`{coordinate}` refers to `{name}`, which is not {wanted}"),
        };
        ImportError {
            code: codes::E8052,
            message,
            location: Some(Box::new(self.loc(pos))),
            help: Some("define the type in the document, or correct the reference".into()),
        }
    }
}
