// YAML front matter of a Markdown runbook (title, services, tags) and the top-level keys both
// formats keep verbatim in `extra`. Every problem names its line in the original file.
import { Document, LineCounter, isMap, isScalar, isSeq, parseDocument, type Node as YamlNode } from 'yaml';
import { RunbookFormatError } from './attributes.ts';
import { LIMITS, type RunbookDoc } from './model.ts';

export interface FrontMatterBlock {
  yaml: string;
  /** Line number (1-based, in the whole file) of the first YAML line. */
  firstLine: number;
  body: string;
  /** Line number of the first body line. */
  bodyLine: number;
}

/** `---` on the first line, YAML, then `---` or `...`: only when the block reads as `key:` lines. */
export function splitFrontMatter(text: string): FrontMatterBlock | null {
  if (!/^---[ \t]*\n/.test(text)) return null;
  const close = /^(---|\.\.\.)[ \t]*$/m;
  const start = text.indexOf('\n') + 1;
  const rest = text.slice(start);
  const m = close.exec(rest);
  if (!m) return null;
  const yaml = rest.slice(0, m.index);
  // A thematic break followed by prose and a setext underline is Markdown, not front matter.
  const firstContent = yaml.split('\n').find((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
  if (firstContent !== undefined && !/^[\w"'-][^:]*:(\s|$)/.test(firstContent)) return null;
  const after = start + m.index + m[0].length;
  const bodyStart = text[after] === '\n' ? after + 1 : after;
  const lines = (s: string) => s.split('\n').length - 1;
  return { yaml, firstLine: 2, body: text.slice(bodyStart), bodyLine: 1 + lines(text.slice(0, bodyStart)) };
}

export interface ParsedYaml {
  doc: Document;
  lineOf: (node: YamlNode | null | undefined) => number;
}

/** Parses YAML; a syntax error becomes a RunbookFormatError on the file's line. */
export function parseYaml(text: string, firstLine: number): ParsedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const error = doc.errors[0];
  if (error) {
    const line = error.linePos?.[0]?.line ?? 1;
    throw new RunbookFormatError(firstLine + line - 1, `YAML: ${error.message.split('\n')[0]!.replace(/ at line \d+, column \d+.*$/, '')}`);
  }
  return {
    doc,
    lineOf: (node) => firstLine + (node?.range ? lineCounter.linePos(node.range[0]).line : 1) - 1,
  };
}

/** A one-line string field (title): strings and numbers accepted, spaces collapsed. */
export function readLine(parsed: ParsedYaml, key: string, max: number = LIMITS.title): string | null {
  const node = (parsed.doc.contents as { get?: (k: string, keep: true) => unknown } | null)?.get?.(key, true) as YamlNode | undefined;
  if (node === undefined || (isScalar(node) && node.value === null)) return null;
  if (!isScalar(node) || (typeof node.value !== 'string' && typeof node.value !== 'number')) {
    throw new RunbookFormatError(parsed.lineOf(node), `${key} must be text`);
  }
  const value = String(node.value).replace(/\s+/g, ' ').trim();
  if (value.length > max) throw new RunbookFormatError(parsed.lineOf(node), `${key} has at most ${max} characters`);
  return value || null;
}

/** services / tags: a list of names or one comma-separated string. */
export function readNames(parsed: ParsedYaml, key: string): string[] {
  const node = (parsed.doc.contents as { get?: (k: string, keep: true) => unknown } | null)?.get?.(key, true) as YamlNode | undefined;
  if (node === undefined || (isScalar(node) && node.value === null)) return [];
  let items: { value: unknown; node: YamlNode }[];
  if (isSeq(node)) items = node.items.map((item) => ({ value: isScalar(item) ? item.value : undefined, node: item as YamlNode }));
  else if (isScalar(node) && typeof node.value === 'string') items = node.value.split(',').map((value) => ({ value, node }));
  else throw new RunbookFormatError(parsed.lineOf(node), `${key} must be a list of names`);
  const names: string[] = [];
  for (const item of items) {
    if (typeof item.value !== 'string' && typeof item.value !== 'number') throw new RunbookFormatError(parsed.lineOf(item.node), `each of ${key} must be a name`);
    const name = String(item.value).replace(/\s+/g, ' ').trim();
    if (!name) continue;
    if (name.length > 80 || name.includes(',')) throw new RunbookFormatError(parsed.lineOf(item.node), `"${name}" is not a usable name in ${key}`);
    if (!names.includes(name)) names.push(name);
  }
  if (names.length > 50) throw new RunbookFormatError(parsed.lineOf(node), `${key} has at most 50 names`);
  return names;
}

/** What is left of the top-level mapping once `known` keys are taken out, as block YAML text. */
export function extraText(parsed: ParsedYaml, known: readonly string[]): string {
  const contents = parsed.doc.contents;
  if (contents === null || (isScalar(contents) && contents.value === null)) return '';
  if (!isMap(contents)) throw new RunbookFormatError(parsed.lineOf(contents as YamlNode), 'expected `key: value` lines');
  // Comments written above a key we take out belong to the file, not to that key: keep them.
  const orphaned: string[] = [];
  for (const key of known) {
    const pair = contents.items.find((p) => isScalar(p.key) && p.key.value === key);
    const comment = pair && isScalar(pair.key) ? pair.key.commentBefore : undefined;
    if (comment) orphaned.push(comment);
    contents.delete(key);
  }
  if (contents.items.length === 0) return '';
  if (orphaned.length > 0) {
    const first = contents.items[0]!.key;
    if (isScalar(first)) first.commentBefore = [...orphaned, first.commentBefore].filter(Boolean).join('\n');
  }
  // Block style, so the text can follow our own keys in a file.
  contents.flow = false;
  const text = parsed.doc.toString({ lineWidth: 0 }).replace(/\n+$/, '');
  if (text.length > LIMITS.text) throw new RunbookFormatError(parsed.lineOf(contents), 'the front matter is too long');
  return text;
}

export function readFrontMatter(block: FrontMatterBlock): { title: string | null; services: string[]; tags: string[]; extra: string } {
  const parsed = parseYaml(block.yaml, block.firstLine);
  const contents = parsed.doc.contents;
  if (contents !== null && !isMap(contents) && !(isScalar(contents) && contents.value === null)) {
    throw new RunbookFormatError(block.firstLine, 'front matter must be `key: value` lines');
  }
  const title = readLine(parsed, 'title');
  const services = readNames(parsed, 'services');
  const tags = readNames(parsed, 'tags');
  return { title, services, tags, extra: extraText(parsed, ['title', 'services', 'tags']) };
}

/** The front matter export writes: title, then services and tags when present, then `extra`. */
export function writeFrontMatter(doc: Pick<RunbookDoc, 'title' | 'services' | 'tags' | 'extra'>): string {
  const head = new Document({
    title: doc.title,
    ...(doc.services.length > 0 ? { services: doc.services } : {}),
    ...(doc.tags.length > 0 ? { tags: doc.tags } : {}),
  });
  for (const key of ['services', 'tags']) {
    const seq = head.get(key, true);
    if (isSeq(seq)) seq.flow = true;
  }
  const text = head.toString({ lineWidth: 0 });
  return `---\n${text}${doc.extra ? `${doc.extra}\n` : ''}---\n`;
}
