// The TextMate grammar (syntaxes/nginx.tmLanguage.json) loaded with vscode-textmate and oniguruma,
// as VS Code loads it, and a comparison of its tokens with the parser's (service/nginx/syntax.ts),
// which follows nginx's own tokenizer: where the two disagree on what is a comment, a string, a
// terminator, a brace, a directive name or a Lua body, the editor colours the file differently from
// how nginx reads it.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

const root = fileURLToPath(new URL('../../', import.meta.url));
const grammarPath = root + 'syntaxes/nginx.tmLanguage.json';

let loaded;
/** The grammar, loaded once. source.lua is not available (as in an editor without a Lua grammar). */
export async function loadGrammar() {
  loaded ??= (async () => {
    await oniguruma.loadWASM(readFileSync(root + 'node_modules/vscode-oniguruma/release/onig.wasm').buffer);
    const registry = new vsctm.Registry({
      onigLib: Promise.resolve({
        createOnigScanner: (sources) => new oniguruma.OnigScanner(sources),
        createOnigString: (s) => new oniguruma.OnigString(s),
      }),
      loadGrammar: async (scopeName) =>
        scopeName === 'source.nginx' ? vsctm.parseRawGrammar(readFileSync(grammarPath, 'utf8'), grammarPath) : null,
    });
    return registry.loadGrammar('source.nginx');
  })();
  return loaded;
}

/**
 * Tokens of `source` as { line, start, end, offset, text, scopes } (`offset`: of the token's start in
 * the whole text), and the rule stack left at the end of the text.
 */
export function tokenizeWith(grammar, source) {
  const out = [];
  let stack = vsctm.INITIAL;
  let lineStart = 0;
  source.split('\n').forEach((text, line) => {
    const r = grammar.tokenizeLine(text, stack);
    for (const t of r.tokens) {
      out.push({ line, start: t.startIndex, end: t.endIndex, offset: lineStart + t.startIndex,
        text: text.slice(t.startIndex, t.endIndex), scopes: t.scopes });
    }
    stack = r.ruleStack;
    lineStart += text.length + 1;
  });
  // The stack after an empty line is the top level (the grammar's own scope pushed on INITIAL).
  return { tokens: out, stack, initial: grammar.tokenizeLine('', vsctm.INITIAL).ruleStack };
}

export const hasScope = (scopes, scope) => scopes.some((s) => s === scope || s.startsWith(scope + '.'));
/** An nginx `#` comment (the magic `# nginx-ls:` one included), not a Lua comment inside a Lua body. */
const isNginxComment = (scopes) => scopes.some((s) => s.startsWith('comment.line.number-sign.') && s.endsWith('.nginx'));

/** Blocks whose children are `key value;` entries, not directives: the grammar scopes their first words as keys. */
const TABLE_BLOCKS = new Set(['map', 'geo', 'types', 'split_clients', 'charset_map']);

/** Scopes the first word of a directive may carry. */
const NAME_SCOPES = [
  'entity.name.function.directive.nginx', 'entity.name.function.directive.quoted.nginx', 'keyword.other.directive.block.nginx',
  'keyword.control.import.nginx',
  'keyword.control.conditional.nginx',
];
/** Scopes the first word of a table entry may carry. */
const KEY_SCOPES = [
  'keyword.other.table.nginx', 'string.unquoted.key.nginx', 'string.quoted.double.key.nginx', 'string.quoted.single.key.nginx',
  'string.regexp.nginx', 'keyword.operator.modifier.nginx',
];

/**
 * Where the grammar reads `text` otherwise than the parser: a list of { offset, line, what, token }
 * (empty when they agree). In a file with syntax problems only what stands before the line of the
 * first problem is compared: past it, nginx would stop reading, and the two may recover differently.
 */
export function disagreements(grammar, parse, text) {
  const file = parse(text, { keepTokens: true });
  const firstProblem = Math.min(text.length, ...file.problems.map((p) => p.start));
  const limit = file.problems.length ? text.lastIndexOf('\n', firstProblem - 1) + 1 : text.length + 1;
  const { tokens, stack, initial } = tokenizeWith(grammar, text);
  const out = [];
  // Grammar tokens overlapping [start, end), found by binary search on their offsets.
  const overlapping = (start, end) => {
    let lo = 0, hi = tokens.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (tokens[mid].offset + tokens[mid].text.length <= start) lo = mid + 1;
      else hi = mid;
    }
    const found = [];
    for (let i = lo; i < tokens.length && tokens[i].offset < end; i++) if (tokens[i].text.length) found.push(tokens[i]);
    return found;
  };
  const lineOf = (offset) => text.slice(0, offset).split('\n').length;
  const problem = (offset, what, token) =>
    out.push({ offset, line: lineOf(offset), what, token: token && [token.text, token.scopes.slice(1)] });
  const expectAll = (start, end, what, ok) => {
    for (const t of overlapping(start, end)) if (!ok(t.scopes, t)) { problem(start, what, t); return; }
  };
  const any = (list) => (scopes) => list.some((s) => hasScope(scopes, s));

  for (const token of file.tokens) {
    const { start, end } = token;
    if (end > limit) break;
    switch (token.kind) {
      case 'comment': expectAll(start, end, 'comment', isNginxComment); break;
      case 'semicolon': expectAll(start, end, '";" ends the statement', (s) => hasScope(s, 'punctuation.terminator.nginx')); break;
      case 'open': expectAll(start, end, '"{" opens a block', (s) => hasScope(s, 'punctuation.section.block.begin.nginx')); break;
      case 'close': expectAll(start, end, '"}" closes a block', (s) => hasScope(s, 'punctuation.section.block.end.nginx')); break;
      case 'raw': expectAll(start, end, 'Lua body', (s, t) => !t.text.trim() || hasScope(s, 'meta.embedded.block.lua')); break;
      case 'word': case 'string':
        expectAll(start, end, `${token.kind} "${text.slice(start, end)}" is not a comment, terminator or brace`,
          (s) => !isNginxComment(s) && !hasScope(s, 'punctuation.terminator.nginx') && !hasScope(s, 'punctuation.section.block'));
        if (token.kind === 'string') {
          expectAll(start, end, `string ${text.slice(start, end)} is a string`,
            (s) => hasScope(s, 'string') || hasScope(s, 'entity.name.function.directive.quoted.nginx'));
        }
        break;
    }
  }

  const walk = (nodes, inTable) => {
    for (const node of nodes) {
      if (node.kind !== 'directive' || node.start >= limit) continue;
      const name = node.name;
      if (name.end > name.start) {
        const first = overlapping(name.start, name.start + 1)[0];
        const wanted = inTable ? KEY_SCOPES : NAME_SCOPES;
        if (!first || !any(wanted)(first.scopes)) {
          problem(name.start, `"${text.slice(name.start, name.end)}" is a ${inTable ? 'table key' : 'directive name'}`, first);
        }
      }
      for (const arg of node.args) {
        const first = overlapping(arg.start, arg.start + 1)[0];
        const notHere = inTable ? ['keyword.other.table.nginx', 'string.unquoted.key.nginx'] : NAME_SCOPES;
        if (first && arg.end <= limit && any(notHere)(first.scopes)) {
          problem(arg.start, `"${text.slice(arg.start, arg.end)}" is an argument`, first);
        }
      }
      // A block inside a table (which nginx refuses) is still read as the table's entries.
      if (node.block && !node.block.raw) walk(node.block.children, inTable || TABLE_BLOCKS.has(node.name.value));
    }
  };
  walk(file.children, false);
  // Everything closed: no string, block or condition left open to colour whatever follows.
  if (!file.problems.length && !stack.equals(initial)) problem(text.length, 'the grammar ends the file inside a construct', undefined);
  return { parsedCleanly: file.problems.length === 0, disagreements: out };
}
