-- Headless check of the Neovim configuration with a real Neovim:
--   nvim --headless --clean -l editors/neovim/test/check.lua
-- Loads the plugin folder, opens a file of a throwaway workspace and checks filetype detection,
-- buffer settings, the syntax file, the LSP configuration (0.11 API and the 0.10 fallback) and
-- root detection by charter.toml. With CHARTER_LSP set to a server binary it also waits for
-- that server to attach to the buffer, and checks that an edit's diagnostic appears and clears.
local here = vim.fs.dirname(vim.fs.normalize(debug.getinfo(1, "S").source:sub(2)))
local plugin = vim.fs.dirname(here)
vim.opt.runtimepath:prepend(plugin)
vim.cmd("filetype plugin on")
vim.cmd("syntax on")

local passed, failed = 0, 0
local function check(ok, what)
  if ok then
    passed = passed + 1
  else
    failed = failed + 1
    io.stdout:write("not ok - " .. what .. "\n")
  end
end

local server = os.getenv("CHARTER_LSP")
if server == "" then
  server = nil
end
local charter = require("charter")
charter.setup(server and { cmd = { server } } or nil)

-- A workspace: charter.toml at the root, a source file two folders down.
local root = vim.fs.normalize(vim.fn.resolve(vim.fn.tempname()))
vim.fn.mkdir(root .. "/src/policy", "p")
vim.fn.writefile({ "[package]", 'name = "demo"', 'version = "1.0.0"' }, root .. "/charter.toml")
local file = root .. "/src/policy/access.charter"
vim.fn.writefile({ "package demo.policy", "", "/// A user.", "entity User { id: string }" }, file)

check(vim.filetype.match({ filename = "x/y.charter" }) == "charter", "*.charter is detected as charter")
vim.cmd.edit(vim.fn.fnameescape(file))
local buf = vim.api.nvim_get_current_buf()
check(vim.bo[buf].filetype == "charter", "the opened file has filetype charter, not " .. vim.bo[buf].filetype)
check(vim.bo[buf].commentstring == "// %s", "commentstring is // %s")
check(vim.bo[buf].shiftwidth == 2 and vim.bo[buf].expandtab, "two-space indentation")
check(vim.b[buf].current_syntax == "charter", "syntax/charter.vim is loaded")
local function syn_at(line, col)
  return vim.fn.synIDattr(vim.fn.synID(line, col, 1), "name")
end
check(syn_at(1, 1) == "charterPackage", "`package` is highlighted as charterPackage, not " .. syn_at(1, 1))
check(syn_at(3, 1) == "charterDocComment", "`///` is a doc comment, not " .. syn_at(3, 1))
check(syn_at(4, 1) == "charterDeclaration", "`entity` is a declaration keyword, not " .. syn_at(4, 1))
check(syn_at(4, 15) == "charterMember", "`id:` is a member, not " .. syn_at(4, 15))
check(syn_at(4, 19) == "charterType", "`string` is a type, not " .. syn_at(4, 19))

check(charter.root_dir(buf) == root, "root_dir is the folder holding charter.toml: " .. tostring(charter.root_dir(buf)))

local has_config = vim.lsp.config ~= nil and vim.lsp.enable ~= nil
if has_config then
  local config = vim.lsp.config.charter
  check(config ~= nil, "vim.lsp.config.charter exists")
  config = config or {}
  check(vim.deep_equal(config.cmd, server and { server } or { "charter-lsp" }), "cmd is the server command")
  check(vim.deep_equal(config.filetypes, { "charter" }), "filetypes = { 'charter' }")
  check(vim.deep_equal(config.root_markers, { "charter.toml" }), "root_markers = { 'charter.toml' }")
  check(vim.lsp.is_enabled == nil or vim.lsp.is_enabled("charter"), "vim.lsp.enable('charter') was called")
  -- lsp/charter.lua on the runtimepath is the same configuration.
  local runtime = dofile(plugin .. "/lsp/charter.lua")
  check(vim.deep_equal(runtime.root_markers, { "charter.toml" }) and runtime.cmd[1] == "charter-lsp",
    "lsp/charter.lua names charter-lsp and charter.toml")
end

-- The 0.10 fallback: a FileType autocommand calling vim.lsp.start.
charter.setup({ legacy = true, cmd = server and { server } or { "charter-lsp" } })
local autocmds = vim.api.nvim_get_autocmds({ group = "charter_lsp", event = "FileType" })
check(#autocmds == 1 and autocmds[1].pattern == "charter", "the 0.10 fallback registers a FileType charter autocommand")

if server then
  local attached = vim.wait(10000, function()
    return #vim.lsp.get_clients({ bufnr = buf, name = "charter" }) > 0
  end, 50)
  check(attached, "the server at CHARTER_LSP attaches to the buffer")
  local client = vim.lsp.get_clients({ bufnr = buf, name = "charter" })[1]
  check(client ~= nil and client.root_dir == root, "the client's root is the workspace root")
  local initialized = vim.wait(10000, function()
    return client ~= nil and client.initialized == true
  end, 50)
  check(initialized, "the server answered initialize")
  -- An edit through Neovim's didChange: a misspelt type gets a diagnostic with a code, and the
  -- fix takes it away again.
  vim.api.nvim_buf_set_lines(buf, 3, 4, false, { "entity User { id: strin }" })
  local reported = vim.wait(15000, function()
    return #vim.diagnostic.get(buf) > 0
  end, 50)
  local first = vim.diagnostic.get(buf)[1] or {}
  check(reported and first.lnum == 3 and type(first.code) == "string" and first.code:match("^E%d%d%d%d$") ~= nil,
    "the misspelt type is reported on line 4 with a code: " .. vim.inspect(first.code))
  vim.api.nvim_buf_set_lines(buf, 3, 4, false, { "entity User { id: string }" })
  local cleared = vim.wait(15000, function()
    return #vim.diagnostic.get(buf) == 0
  end, 50)
  check(cleared, "the diagnostic goes away when the type is fixed")
  for _, c in ipairs(vim.lsp.get_clients()) do
    c:stop(true)
  end
  vim.wait(5000, function()
    return #vim.lsp.get_clients() == 0
  end, 50)
  -- The 0.10 path alone: vim.lsp.enable off, a second file started by the FileType autocommand.
  if has_config then
    vim.lsp.enable("charter", false)
  end
  local other = root .. "/src/policy/other.charter"
  vim.fn.writefile({ "package demo.policy", "", "entity Doc { id: string }" }, other)
  vim.cmd.edit(vim.fn.fnameescape(other))
  local other_buf = vim.api.nvim_get_current_buf()
  local legacy_attached = vim.wait(10000, function()
    return #vim.lsp.get_clients({ bufnr = other_buf, name = "charter" }) > 0
  end, 50)
  local legacy_client = vim.lsp.get_clients({ bufnr = other_buf, name = "charter" })[1]
  check(legacy_attached and legacy_client.root_dir == root, "the 0.10 fallback starts the server with the workspace root")
  for _, c in ipairs(vim.lsp.get_clients()) do
    c:stop(true)
  end
else
  io.stdout:write("(CHARTER_LSP not set: the server attach check did not run)\n")
end

vim.fn.delete(root, "rf")
io.stdout:write(string.format("neovim %s: %d passed, %d failed\n", tostring(vim.version()), passed, failed))
os.exit(failed == 0 and 0 or 1)
