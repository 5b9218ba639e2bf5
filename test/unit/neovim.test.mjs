// A second real LSP client: Neovim's built-in one (Debian's nvim 0.7). It knows only push
// diagnostics (textDocument/publishDiagnostics), so this proves dist/server.js pushes to
// clients that do not advertise pull support; and its root_dir is often the file's own folder,
// so a partial file must still be analysed in the main config above it. Skipped, visibly, when nvim is not installed; under
// CI (which installs neovim) that skip is a failure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SITE_CODES, writePartialConfig } from '../lib/partial-config.mjs';
import { unavailable } from '../lib/tools.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
// NGINX_LS_SERVER runs it against another build of the server (e.g. a deliberately broken one).
const serverJs = process.env.NGINX_LS_SERVER ?? path.join(root, 'dist/server.js');
const nvim = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
const haveNvim = nvim.status === 0;

const LUA = String.raw`
local out = os.getenv('NGINX_LS_OUT')
local function finish(result)
  local f = io.open(out, 'w')
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.cmd('qall!')
end
local ok, err = pcall(function()
  vim.lsp.set_log_level('warn')
  local id = vim.lsp.start_client({
    name = 'nginx-ls',
    cmd = { os.getenv('NGINX_LS_NODE'), os.getenv('NGINX_LS_SERVER'), '--stdio' },
    root_dir = os.getenv('NGINX_LS_ROOT'),
  })
  if not id then error('vim.lsp.start_client returned nil') end
  vim.cmd('edit ' .. vim.fn.fnameescape(os.getenv('NGINX_LS_FILE')))
  vim.bo.filetype = 'nginx'
  if not vim.lsp.buf_attach_client(0, id) then error('buf_attach_client failed') end
  local got = vim.wait(20000, function() return #vim.diagnostic.get(0) > 0 end, 50)
  local client = vim.lsp.get_client_by_id(id)
  local diags = {}
  for _, d in ipairs(vim.diagnostic.get(0)) do
    table.insert(diags, { lnum = d.lnum, col = d.col, message = d.message, source = d.source,
      code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) or vim.NIL,
      severity = d.severity })
  end
  local result = { waited = got, initialized = client ~= nil and client.initialized == true,
    push_only = client ~= nil and client.server_capabilities ~= nil and client.server_capabilities.diagnosticProvider == nil,
    diagnostics = diags }
  vim.lsp.stop_client(id, true)
  finish(result)
end)
if not ok then finish({ error = tostring(err) }) end
`;

/**
 * Runs the Lua check in headless nvim with `root` as the client's root_dir and `file` opened; returns
 * what it wrote and a description of the run for failure messages. `tmp` holds the run's files.
 */
function runNvim(tmp, { root, file }) {
  const lua = path.join(tmp, 'check.lua');
  fs.writeFileSync(lua, LUA);
  const out = path.join(tmp, 'result.json');
  const res = spawnSync('nvim', ['--headless', '--clean', '-u', 'NONE', '-c', `luafile ${lua}`], {
    cwd: tmp,
    encoding: 'utf8',
    timeout: 60_000,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      NGINX_LS_OUT: out,
      NGINX_LS_NODE: process.execPath,
      NGINX_LS_SERVER: serverJs,
      NGINX_LS_ROOT: root,
      NGINX_LS_FILE: file,
      XDG_CONFIG_HOME: path.join(tmp, 'config'),
      XDG_DATA_HOME: path.join(tmp, 'data'),
      XDG_STATE_HOME: path.join(tmp, 'state'),
      XDG_CACHE_HOME: path.join(tmp, 'cache'),
    },
  });
  const lspLog = path.join(tmp, 'cache/nvim/lsp.log');
  const context = () =>
    `nvim exit ${res.status ?? res.signal}${res.error ? ` (${res.error.message})` : ''}\nstderr: ${res.stderr}\n` +
    (fs.existsSync(lspLog) ? `lsp.log:\n${fs.readFileSync(lspLog, 'utf8').slice(-3000)}` : '');
  assert.ok(fs.existsSync(out), `the Lua check wrote no result\n${context()}`);
  const result = JSON.parse(fs.readFileSync(out, 'utf8'));
  assert.equal(result.error, undefined, `the Lua check failed: ${result.error}\n${context()}`);
  assert.equal(result.initialized, true, `the client never finished initialize\n${context()}`);
  assert.equal(result.push_only, true, 'the server offered pull diagnostics to a client that cannot pull');
  assert.equal(result.waited, true, `no diagnostics within 20 s\n${context()}`);
  return { result, context };
}

function tempDir(t) {
  const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ls-nvim-')));
  t.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  return tmp;
}

test('Neovim (push-diagnostics-only LSP client) receives diagnostics from dist/server.js', { timeout: 90_000 }, (t) => {
  if (!haveNvim) return unavailable(t, `nvim is not installed (apt-get install neovim): ${nvim.error?.message ?? nvim.stderr}`);
  assert.ok(fs.existsSync(serverJs), 'dist/server.js is missing: run `npm run build` first');
  const tmp = tempDir(t);
  const conf = path.join(tmp, 'nginx.conf');
  fs.writeFileSync(conf, 'events {\n}\n\nhttp {\n    servr {\n    }\n}\n');
  const { result } = runNvim(tmp, { root: tmp, file: conf });
  // Exactly one: the misspelt "servr" on line 5 (lnum 4), columns 4-8; severity 1 = ERROR.
  assert.deepEqual(result.diagnostics, [{
    lnum: 4, col: 4, code: 'unknown-directive', source: 'nginx-ls', severity: 1,
    message: 'unknown directive "servr"; did you mean "server"?',
  }]);
});

test('Neovim with a per-file root (root_dir = conf.d/): conf.d/site.conf is analysed in ../nginx.conf', { timeout: 90_000 }, (t) => {
  if (!haveNvim) return unavailable(t, `nvim is not installed (apt-get install neovim): ${nvim.error?.message ?? nvim.stderr}`);
  assert.ok(fs.existsSync(serverJs), 'dist/server.js is missing: run `npm run build` first');
  const tmp = tempDir(t);
  const files = writePartialConfig(path.join(tmp, 'etc-nginx'));
  const { result, context } = runNvim(tmp, { root: files.confD, file: files.site });
  // The certificate paths resolve against the folder of nginx.conf: found, and judged (no cert-not-found).
  const codes = result.diagnostics.map((d) => d.code).sort();
  assert.deepEqual(codes, SITE_CODES, `${result.diagnostics.map((d) => `${d.code}: ${d.message}`).join('\n')}\n${context()}`);
  const mismatch = result.diagnostics.find((d) => d.code === 'cert-key-mismatch');
  assert.deepEqual([mismatch.lnum, mismatch.col], [4, 24], 'on the key path of line 5');
});
