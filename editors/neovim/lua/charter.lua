-- Charter support for Neovim's built-in LSP client.
--
--   require("charter").setup()                        -- charter-lsp from $PATH
--   require("charter").setup({ cmd = { "charter", "lsp" } })
--
-- On Neovim 0.11+ this registers the server with vim.lsp.config() and turns it on with
-- vim.lsp.enable(); on 0.10 it starts it with vim.lsp.start() from a FileType autocommand.
-- Either way the root is the nearest folder holding charter.toml.
local M = {}

M.defaults = {
  -- The server command: charter-lsp on $PATH, or { "charter", "lsp" }.
  cmd = { "charter-lsp" },
  filetypes = { "charter" },
  root_markers = { "charter.toml" },
  -- Extra fields for vim.lsp.config() / vim.lsp.start() (on_attach, capabilities, settings…).
  config = {},
  -- Force the Neovim 0.10 code path (vim.lsp.start) even where vim.lsp.config exists.
  legacy = false,
}

--- Filetype detection: *.charter files are `charter`.
function M.filetype()
  vim.filetype.add({ extension = { charter = "charter" } })
end

--- The workspace root for a buffer: the nearest folder above it holding a root marker.
function M.root_dir(bufnr, markers)
  return vim.fs.root(bufnr or 0, markers or M.defaults.root_markers)
end

local function server_config(opts)
  return vim.tbl_deep_extend("force", {
    cmd = opts.cmd,
    filetypes = opts.filetypes,
    root_markers = opts.root_markers,
  }, opts.config or {})
end

--- Neovim 0.10: start (or reuse) a client from a FileType autocommand.
local function setup_legacy(opts)
  local group = vim.api.nvim_create_augroup("charter_lsp", { clear = true })
  vim.api.nvim_create_autocmd("FileType", {
    group = group,
    pattern = opts.filetypes,
    callback = function(args)
      local config = server_config(opts)
      config.name = "charter"
      config.root_markers = nil
      config.filetypes = nil
      config.root_dir = M.root_dir(args.buf, opts.root_markers)
      vim.lsp.start(config, { bufnr = args.buf })
    end,
  })
end

function M.setup(opts)
  opts = vim.tbl_deep_extend("force", M.defaults, opts or {})
  M.options = opts
  M.filetype()
  if vim.lsp.config ~= nil and vim.lsp.enable ~= nil and not opts.legacy then
    vim.lsp.config("charter", server_config(opts))
    vim.lsp.enable("charter")
  else
    setup_legacy(opts)
  end
end

return M
