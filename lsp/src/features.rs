//! Requests answered on a snapshot: thin conversions around [`charter::ide`].

use std::collections::HashMap;

use charter::db::parse;
use charter::ide::{self, CompletionKind as CK, SymbolKind as SK, TokenKind};
use charter::ir::Kind;
use tower_lsp_server::ls_types::*;

use crate::snapshot::Snap;

/// The semantic token legend, in [`TokenKind`] order (documented in `docs/lsp.md`).
pub const TOKEN_TYPES: [SemanticTokenType; 14] = [
    SemanticTokenType::KEYWORD,
    SemanticTokenType::STRING,
    SemanticTokenType::NUMBER,
    SemanticTokenType::COMMENT,
    SemanticTokenType::OPERATOR,
    SemanticTokenType::TYPE,
    SemanticTokenType::ENUM,
    SemanticTokenType::ENUM_MEMBER,
    SemanticTokenType::PROPERTY,
    SemanticTokenType::FUNCTION,
    SemanticTokenType::METHOD,
    SemanticTokenType::NAMESPACE,
    SemanticTokenType::VARIABLE,
    SemanticTokenType::DECORATOR,
];

fn token_index(kind: TokenKind) -> u32 {
    match kind {
        TokenKind::Keyword => 0,
        TokenKind::String => 1,
        TokenKind::Number => 2,
        TokenKind::Comment => 3,
        TokenKind::Operator => 4,
        TokenKind::Type => 5,
        TokenKind::Enum => 6,
        TokenKind::EnumMember => 7,
        TokenKind::Property => 8,
        TokenKind::Function => 9,
        TokenKind::Method => 10,
        TokenKind::Namespace => 11,
        TokenKind::Variable => 12,
        TokenKind::Decorator => 13,
    }
}

fn location(s: &Snap, loc: ide::Location) -> Option<Location> {
    Some(Location::new(s.uri(loc.file)?, s.range(loc.file, loc.span)))
}

pub fn hover(s: &Snap, pos: Position) -> Option<Hover> {
    let (text, span) = ide::hover(&s.db, s.ws(), s.file(), s.at_offset(pos))?;
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: text,
        }),
        range: Some(s.range(s.file(), span)),
    })
}

pub fn definition(s: &Snap, pos: Position) -> Option<Location> {
    location(
        s,
        ide::definition(&s.db, s.ws(), s.file(), s.at_offset(pos))?,
    )
}

pub fn references(s: &Snap, pos: Position, include_decl: bool) -> Option<Vec<Location>> {
    let found = ide::references(&s.db, s.ws(), s.file(), s.at_offset(pos), include_decl);
    Some(found.into_iter().filter_map(|l| location(s, l)).collect())
}

pub fn prepare_rename(s: &Snap, pos: Position) -> Result<Range, String> {
    let span = ide::prepare_rename(&s.db, s.ws(), s.file(), s.at_offset(pos))?;
    Ok(s.range(s.file(), span))
}

pub fn rename(s: &Snap, pos: Position, new_name: &str) -> Result<WorkspaceEdit, String> {
    let edits = ide::rename(&s.db, s.ws(), s.file(), s.at_offset(pos), new_name)?;
    let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    for (loc, text) in edits {
        if let Some(uri) = s.uri(loc.file) {
            changes
                .entry(uri)
                .or_default()
                .push(TextEdit::new(s.range(loc.file, loc.span), text));
        }
    }
    Ok(WorkspaceEdit::new(changes))
}

fn decl_completion_kind(kind: Kind) -> CompletionItemKind {
    match kind {
        Kind::Record | Kind::Entity | Kind::Context => CompletionItemKind::STRUCT,
        Kind::Enum => CompletionItemKind::ENUM,
        Kind::Alias => CompletionItemKind::TYPE_PARAMETER,
        Kind::Policy => CompletionItemKind::FUNCTION,
        Kind::Service | Kind::Framework => CompletionItemKind::MODULE,
        Kind::Control | Kind::Threat => CompletionItemKind::CONSTANT,
    }
}

pub fn completion(s: &Snap, pos: Position) -> Vec<CompletionItem> {
    ide::completions(&s.db, s.ws(), s.file(), s.at_offset(pos))
        .into_iter()
        .map(|c| CompletionItem {
            kind: Some(match c.kind {
                CK::Keyword => CompletionItemKind::KEYWORD,
                CK::Declaration(k) => decl_completion_kind(k),
                CK::Type => CompletionItemKind::TYPE_PARAMETER,
                CK::Field => CompletionItemKind::FIELD,
                CK::EnumValue => CompletionItemKind::ENUM_MEMBER,
                CK::Action => CompletionItemKind::METHOD,
                CK::Requirement => CompletionItemKind::VALUE,
                CK::Package => CompletionItemKind::MODULE,
            }),
            detail: c.detail,
            insert_text: c.insert,
            label: c.label,
            ..CompletionItem::default()
        })
        .collect()
}

fn symbol_kind(kind: SK) -> SymbolKind {
    match kind {
        SK::Declaration(Kind::Record | Kind::Entity | Kind::Context) => SymbolKind::STRUCT,
        SK::Declaration(Kind::Enum) => SymbolKind::ENUM,
        SK::Declaration(Kind::Alias) => SymbolKind::TYPE_PARAMETER,
        SK::Declaration(Kind::Policy) => SymbolKind::FUNCTION,
        SK::Declaration(Kind::Service) => SymbolKind::INTERFACE,
        SK::Declaration(Kind::Framework) => SymbolKind::NAMESPACE,
        SK::Declaration(Kind::Control | Kind::Threat) => SymbolKind::OBJECT,
        SK::Field => SymbolKind::FIELD,
        SK::EnumValue => SymbolKind::ENUM_MEMBER,
        SK::Rule => SymbolKind::BOOLEAN,
        SK::Operation => SymbolKind::METHOD,
        SK::Action => SymbolKind::EVENT,
        SK::Requirement => SymbolKind::KEY,
        SK::Test => SymbolKind::CONSTANT,
    }
}

fn document_symbol(s: &Snap, sym: ide::Symbol) -> DocumentSymbol {
    let file = s.file();
    let children: Vec<DocumentSymbol> = sym
        .children
        .into_iter()
        .map(|c| document_symbol(s, c))
        .collect();
    let range = s.range(file, sym.span);
    let mut selection = s.range(file, sym.name_span);
    if selection.start < range.start || selection.end > range.end {
        selection = range;
    }
    #[expect(
        deprecated,
        reason = "the protocol's deprecated field must still be given"
    )]
    DocumentSymbol {
        name: if sym.name.is_empty() {
            "?".to_string()
        } else {
            sym.name
        },
        detail: None,
        kind: symbol_kind(sym.kind),
        tags: None,
        deprecated: None,
        range,
        selection_range: selection,
        children: (!children.is_empty()).then_some(children),
    }
}

pub fn document_symbols(s: &Snap) -> Vec<DocumentSymbol> {
    ide::document_symbols(&s.db, s.file())
        .into_iter()
        .map(|sym| document_symbol(s, sym))
        .collect()
}

pub fn workspace_symbols(s: &Snap, query: &str) -> Vec<WorkspaceSymbol> {
    ide::workspace_symbols(&s.db, s.ws(), query, 500)
        .into_iter()
        .filter_map(|(file, sym)| {
            Some(WorkspaceSymbol {
                name: sym.name,
                kind: symbol_kind(sym.kind),
                tags: None,
                container_name: charter::semantics::file_names(&s.db, file).package.clone(),
                location: OneOf::Left(Location::new(s.uri(file)?, s.range(file, sym.name_span))),
                data: None,
            })
        })
        .collect()
}

/// The whole file formatted by `charter fmt` as one edit; no edits when it is formatted or has
/// syntax errors.
pub fn format(s: &Snap) -> Vec<TextEdit> {
    let file = s.file();
    let text = s.text(file);
    match charter::fmt::format(parse(&s.db, file), text) {
        Ok(formatted) if formatted != text => vec![TextEdit::new(
            s.range(file, charter::syntax::Span::new(0, text.len())),
            formatted,
        )],
        _ => Vec::new(),
    }
}

/// Quick fixes for the diagnostics the editor sends back: did-you-mean replacements (from the
/// diagnostic's `data.suggestion`) and a missing `use`.
pub fn code_actions(s: &Snap, uri: &Uri, params: &CodeActionParams) -> CodeActionResponse {
    let mut out = Vec::new();
    let file = s.file();
    for d in &params.context.diagnostics {
        let fix = |title: String, edit: TextEdit| {
            CodeActionOrCommand::CodeAction(CodeAction {
                title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![d.clone()]),
                edit: Some(WorkspaceEdit::new(HashMap::from([(
                    uri.clone(),
                    vec![edit],
                )]))),
                is_preferred: Some(true),
                ..CodeAction::default()
            })
        };
        if let Some(suggestion) = d
            .data
            .as_ref()
            .and_then(|v| v.get("suggestion"))
            .and_then(|v| v.as_str())
        {
            out.push(fix(
                format!("Replace with `{suggestion}`"),
                TextEdit::new(d.range, suggestion.to_string()),
            ));
        }
        let unknown = matches!(&d.code, Some(NumberOrString::String(c)) if c == "E1001");
        if unknown {
            let start = s.offset(file, d.range.start);
            let end = s.offset(file, d.range.end);
            let written = s.text(file).get(start..end).unwrap_or("");
            if !written.contains('.') && !written.is_empty() {
                let at = s.position(file, ide::use_insertion(&s.db, file));
                for package in ide::import_candidates(&s.db, s.ws(), file, written) {
                    out.push(fix(
                        format!("Add `use {package}.{written}`"),
                        TextEdit::new(Range::new(at, at), format!("use {package}.{written}\n")),
                    ));
                }
            }
        }
    }
    out
}

pub fn folding(s: &Snap) -> Vec<FoldingRange> {
    let file = s.file();
    let mut out: Vec<FoldingRange> = ide::folding_ranges(&s.db, file)
        .into_iter()
        .filter_map(|span| {
            let r = s.range(file, span);
            (r.end.line > r.start.line).then_some(FoldingRange {
                start_line: r.start.line,
                start_character: None,
                end_line: r.end.line,
                end_character: None,
                kind: Some(FoldingRangeKind::Region),
                collapsed_text: None,
            })
        })
        .collect();
    out.sort_by_key(|f| (f.start_line, f.end_line));
    out.dedup_by_key(|f| (f.start_line, f.end_line));
    out
}

pub fn semantic_tokens(s: &Snap) -> SemanticTokens {
    let file = s.file();
    let mut data = Vec::new();
    let (mut line, mut col) = (0u32, 0u32);
    for (span, kind) in ide::semantic_tokens(&s.db, s.ws(), file) {
        let r = s.range(file, span);
        if r.end.line != r.start.line || r.end.character <= r.start.character {
            continue; // tokens never span lines; skip anything odd rather than send it
        }
        let delta_line = r.start.line - line;
        let delta_start = if delta_line == 0 {
            r.start.character - col
        } else {
            r.start.character
        };
        data.push(SemanticToken {
            delta_line,
            delta_start,
            length: r.end.character - r.start.character,
            token_type: token_index(kind),
            token_modifiers_bitset: 0,
        });
        line = r.start.line;
        col = r.start.character;
    }
    SemanticTokens {
        result_id: None,
        data,
    }
}
