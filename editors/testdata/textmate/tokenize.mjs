// Tokenizes files with a TextMate grammar through vscode-textmate and the
// Oniguruma regular expressions VS Code uses, and prints, as JSON, the
// tokens of every line with their scopes:
//   [{"file": F, "lines": [[{"text": T, "scopes": [S…]}…]…]}…]
// Usage: node tokenize.mjs GRAMMAR FILE…
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import vsctm from "vscode-textmate";
import oniguruma from "vscode-oniguruma";

const require = createRequire(import.meta.url);
const [grammarPath, ...files] = process.argv.slice(2);

const wasm = readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm"));
await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
const registry = new vsctm.Registry({
  onigLib: Promise.resolve({
    createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
    createOnigString: (s) => new oniguruma.OnigString(s),
  }),
  loadGrammar: async () => vsctm.parseRawGrammar(readFileSync(grammarPath, "utf8"), grammarPath),
});
const grammar = await registry.loadGrammar("source.tamis");
if (!grammar) {
  throw new Error(`no grammar for source.tamis in ${grammarPath}`);
}

const out = [];
for (const file of files) {
  const lines = readFileSync(file, "utf8").split("\n");
  if (lines.length > 0 && lines[lines.length - 1] === "") {
    lines.pop();
  }
  let state = vsctm.INITIAL;
  const tokenized = [];
  for (const line of lines) {
    const r = grammar.tokenizeLine(line, state);
    tokenized.push(r.tokens.map((t) => ({ text: line.substring(t.startIndex, t.endIndex), scopes: t.scopes })));
    state = r.ruleStack;
  }
  out.push({ file, lines: tokenized });
}
process.stdout.write(JSON.stringify(out));
