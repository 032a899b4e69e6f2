-- Buffer settings for Charter files: `//` comments (gc), `///` doc comments continued with
-- `o` and <Enter>, two-space indentation as `charter fmt` writes it.
vim.bo.commentstring = "// %s"
vim.bo.comments = ":///,://"
vim.bo.formatoptions = vim.bo.formatoptions:gsub("[t]", "") .. "croql"
vim.bo.expandtab = true
vim.bo.shiftwidth = 2
vim.bo.softtabstop = 2
vim.bo.tabstop = 2
-- Hyphenated control and threat ids (GOV-01) are one word.
vim.opt_local.iskeyword:append("-")
vim.b.undo_ftplugin = "setlocal commentstring< comments< formatoptions< expandtab< shiftwidth<"
  .. " softtabstop< tabstop< iskeyword<"
