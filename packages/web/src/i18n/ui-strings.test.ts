import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/*
 * Every word the interface shows goes through t(): no JSX text with letters and no
 * string literal in an attribute people read (aria-label, title, placeholder, alt,
 * and the components' own label/hint props) may remain in the web client.
 */

const SOURCE = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Attributes whose value people read or hear. */
const READ_ATTRIBUTES = new Set(['aria-label', 'aria-description', 'aria-valuetext', 'title', 'placeholder', 'alt', 'label', 'hint']);
/** Not to be translated: the product's name. */
const UNTRANSLATED = new Set(['Tertulia']);

const hasLetters = (text: string) => /\p{L}/u.test(text) && !UNTRANSLATED.has(text.trim());

interface Finding {
  file: string;
  line: number;
  text: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.tsx') ? [path] : [];
  });
}

/** String literals and template text an expression would show as is; calls (t('key'), say(x)) and nested JSX are looked at on their own. */
function literalsIn(node: ts.Node, found: ts.Node[]): ts.Node[] {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
    if (hasLetters(node.text)) found.push(node);
  } else if (ts.isTemplateExpression(node)) {
    const parts = [node.head.text, ...node.templateSpans.map((span) => span.literal.text)];
    if (parts.some(hasLetters)) found.push(node);
    for (const span of node.templateSpans) literalsIn(span.expression, found);
  } else if (ts.isConditionalExpression(node)) {
    literalsIn(node.whenTrue, found);
    literalsIn(node.whenFalse, found);
  } else if (ts.isBinaryExpression(node) && ['&&', '||', '??', '+'].includes(node.operatorToken.getText())) {
    literalsIn(node.left, found);
    literalsIn(node.right, found);
  } else if (ts.isParenthesizedExpression(node)) {
    literalsIn(node.expression, found);
  }
  return found;
}

function untranslated(path: string, text = readFileSync(path, 'utf8')): Finding[] {
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const findings: Finding[] = [];
  const report = (node: ts.Node, text: string) =>
    findings.push({ file: relative(SOURCE, path), line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, text: text.trim() });

  const visit = (node: ts.Node): void => {
    if (ts.isJsxText(node) && hasLetters(node.text)) report(node, node.text);
    if (ts.isJsxExpression(node) && node.expression && (ts.isJsxElement(node.parent) || ts.isJsxFragment(node.parent))) {
      for (const literal of literalsIn(node.expression, [])) report(literal, literal.getText());
    }
    if (ts.isJsxAttribute(node) && READ_ATTRIBUTES.has(node.name.getText()) && node.initializer) {
      const value = ts.isJsxExpression(node.initializer) ? node.initializer.expression : node.initializer;
      if (value) for (const literal of literalsIn(value, [])) report(literal, `${node.name.getText()}=${literal.getText()}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return findings;
}

describe('interface strings', () => {
  const files = sourceFiles(SOURCE);

  it('finds the components', () => assert.ok(files.length > 30, `${files.length} .tsx files`));

  it('leaves no text, label, title or placeholder untranslated in any component', () => {
    const findings = files.flatMap((file) => untranslated(file));
    assert.deepEqual(
      findings.map((f) => `${f.file}:${f.line} ${f.text}`),
      [],
    );
  });

  it('notices each kind of untranslated string, and leaves keys, names and symbols alone', () => {
    const sample = [
      'export const A = ({ n, open }) => (',
      '  <button aria-label="Close" title={open ? \'Hide\' : t(\'common.close\')} data-testid="x">',
      '    Send {n > 1 ? `${n} items` : \'\'} {t(\'chat.send\')} × {n}',
      '    <h1>Tertulia</h1>',
      '  </button>',
      ');',
    ].join('\n');
    assert.deepEqual(
      untranslated(join(SOURCE, 'Sample.tsx'), sample).map((f) => `${f.line} ${f.text}`),
      ['2 aria-label="Close"', "2 title='Hide'", '3 Send', '3 `${n} items`'],
    );
  });
});
