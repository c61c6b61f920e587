-- Run by TestLSPNeovim: Neovim's own LSP client starts "tamis lsp" on the
-- file $FILE, and writes to $OUT the diagnostics it received (positions
-- in bytes, converted by Neovim from the protocol's UTF-16), the labels
-- completed at line $CLINE, column $CCOL (0-based, in bytes), and the
-- buffer after formatting.
local out = assert(io.open(vim.env.OUT, "w"))
local id = vim.lsp.start_client({
  name = "tamis",
  cmd = { vim.env.TAMIS, "lsp", "--trust", vim.env.TRUST },
  root_dir = vim.env.DIR,
})
if not id then
  out:write("the client did not start\n")
  out:close()
  return
end
vim.cmd("edit " .. vim.fn.fnameescape(vim.env.FILE))
vim.lsp.buf_attach_client(0, id)

if not vim.wait(20000, function() return #vim.diagnostic.get(0) > 0 end, 20) then
  out:write("no diagnostics\n")
end
for _, d in ipairs(vim.diagnostic.get(0)) do
  out:write(string.format("diagnostic %d:%d-%d:%d %s %s\n", d.lnum, d.col, d.end_lnum, d.end_col,
    tostring(d.code), (d.message:gsub("\n.*", ""))))
end

local params = {
  textDocument = vim.lsp.util.make_text_document_params(0),
  position = { line = tonumber(vim.env.CLINE), character = tonumber(vim.env.CCOL) },
}
local responses = vim.lsp.buf_request_sync(0, "textDocument/completion", params, 10000) or {}
for _, r in pairs(responses) do
  local items = r.result and (r.result.items or r.result) or {}
  for _, item in ipairs(items) do
    out:write("completion " .. item.label .. "\n")
  end
end

if vim.lsp.buf.format then
  vim.lsp.buf.format({ timeout_ms = 10000 })
else
  vim.lsp.buf.formatting_sync(nil, 10000)
end
out:write("formatted:\n" .. table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), "\n") .. "\n")
out:close()
vim.lsp.stop_client(id)
vim.wait(5000, function() return vim.lsp.client_is_stopped(id) end, 20)
