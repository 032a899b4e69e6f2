-- Neovim 0.11+: with this folder on 'runtimepath', `vim.lsp.enable("charter")` is enough.
return {
  cmd = { "charter-lsp" },
  filetypes = { "charter" },
  root_markers = { "charter.toml" },
}
