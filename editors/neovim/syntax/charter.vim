" Vim syntax file for Charter (*.charter): highlighting without a language server, and under
" charter-lsp's semantic tokens. The keyword lists are checked against the compiler's lexer by
" editors/vscode/scripts/keywords.js.
if exists("b:current_syntax")
  finish
endif

syn keyword charterPackage package use as
syn keyword charterDeclaration record enum type entity action context policy service op control threat test framework requirement
syn keyword charterModifier ordered open
syn keyword charterControl allow deny when because default expect
syn keyword charterOperator and or not in has matching
syn keyword charterConstant true false none
syn keyword charterRoot subject resource
syn keyword charterClause with provenance on by version at errors requires guarded graphql owner satisfies enforced evidence retained produced subsystem category likelihood impact mitigated

syn keyword charterType bool int float decimal string bytes timestamp date duration uuid list set map
syn keyword charterMethod GET POST PUT PATCH DELETE HEAD OPTIONS

" A name before `:` (a field, parameter or object key) or after `.` is never a keyword.
syn match charterMember "\<\h\w*\ze\s*:"
syn match charterMember "\.\@1<=\h\w*"
syn match charterId "\<\h\w*\%(-\w\+\)\+\>"
syn match charterTypeName "\<\u\w*\>"

syn match charterNumber "\<\d[0-9_]*\%(\.\d[0-9_]*\%([eE][+-]\=\d\+\)\=\)\=\>"
syn match charterDuration "\<\d\+[smhdwy]\>"
syn match charterDate "\<\d\{4}-\d\{2}-\d\{2}\>"
syn match charterAnnotation "@\h\w*"
syn match charterForeignOperator "&&\|||\|!\%(=\)\@!"

syn match charterEscape "\\." contained
syn region charterString start=+"+ skip=+\\.+ end=+"+ end=+$+ oneline contains=charterEscape
syn region charterRequirement matchgroup=charterString start=+\%(\<\h\w*\.\)\@<="+ skip=+\\.+ end=+"+ oneline

syn match charterComment "//.*$" contains=@Spell
syn match charterDocComment "///\%(/\)\@!.*$" contains=@Spell

hi def link charterPackage Include
hi def link charterDeclaration Structure
hi def link charterModifier StorageClass
hi def link charterControl Conditional
hi def link charterOperator Operator
hi def link charterConstant Constant
hi def link charterRoot Identifier
hi def link charterClause Keyword
hi def link charterType Type
hi def link charterMethod Special
hi def link charterMember Identifier
hi def link charterId Label
hi def link charterTypeName Type
hi def link charterNumber Number
hi def link charterDuration Number
hi def link charterDate Number
hi def link charterAnnotation PreProc
hi def link charterForeignOperator Error
hi def link charterEscape SpecialChar
hi def link charterString String
hi def link charterRequirement Constant
hi def link charterComment Comment
hi def link charterDocComment SpecialComment

let b:current_syntax = "charter"
