// YAML runbooks: the same model as Markdown, spelled out. Unknown keys inside sections and
// steps are refused with their line (a typo must not silently lose a step's owner); unknown
// top-level keys are kept verbatim in `extra`, as front matter keeps them.
import { Document, isMap, isScalar, isSeq, type Node as YamlNode, type YAMLMap } from 'yaml';
import { formatDuration, parseDuration, RunbookFormatError } from './attributes.ts';
import { extraText, parseYaml, readLine, readNames, type ParsedYaml } from './front-matter.ts';
import { dependencyProblem, LIMITS, STEP_KINDS, type RunbookDoc, type RunbookSection, type RunbookStep, type StepKind } from './model.ts';
import type { ImportOptions, ImportResult } from './markdown.ts';

const SECTION_KEYS = ['title', 'notes', 'steps', 'target'];
const STEP_KEYS = ['title', 'details', 'owner', 'expect', 'kind', 'after'];
const KINDS: Record<string, StepKind> = { cmd: 'command', verify: 'verification', check: 'verification', comms: 'communication' };

export function importYaml(input: string, options: ImportOptions = {}): ImportResult {
  const text = input.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const parsed = parseYaml(text, 1);
  const root = parsed.doc.contents;
  if (!isMap(root)) throw new RunbookFormatError(parsed.lineOf(root as YamlNode | null), 'a YAML runbook is a mapping with title and sections');
  const title = readLine(parsed, 'title') ?? options.fallbackTitle?.trim() ?? 'Untitled runbook';
  const services = readNames(parsed, 'services');
  const tags = readNames(parsed, 'tags');
  const sectionsNode = root.get('sections', true) as YamlNode | undefined;
  const reader = new Reader(parsed);
  let sections: RunbookSection[] = [];
  if (sectionsNode !== undefined && !(isScalar(sectionsNode) && sectionsNode.value === null)) {
    if (!isSeq(sectionsNode)) throw new RunbookFormatError(parsed.lineOf(sectionsNode), 'sections must be a list');
    sections = sectionsNode.items.map((node, i) => reader.section(node as YamlNode, i));
  }
  const extra = extraText(parsed, ['title', 'services', 'tags', 'sections']);
  const warnings = reader.steps === 0 ? ['No steps found: give a section a `steps:` list.'] : [];
  return { doc: { title: title.slice(0, LIMITS.title), services, tags, extra, sections }, warnings };
}

class Reader {
  steps = 0;
  constructor(readonly parsed: ParsedYaml) {}

  #map(node: YamlNode, what: string, keys: readonly string[]): YAMLMap {
    if (!isMap(node)) throw new RunbookFormatError(this.parsed.lineOf(node), `${what} must be a mapping (key: value lines)`);
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '?';
      if (!keys.includes(key)) {
        throw new RunbookFormatError(this.parsed.lineOf(pair.key as YamlNode), `unknown ${what} field "${key}" (expected ${keys.join(', ')})`);
      }
    }
    return node;
  }

  #scalar(map: YAMLMap, key: string): { value: unknown; node: YamlNode } | null {
    const node = map.get(key, true) as YamlNode | undefined;
    if (node === undefined || (isScalar(node) && node.value === null)) return null;
    if (!isScalar(node)) throw new RunbookFormatError(this.parsed.lineOf(node), `${key} must be a single value`);
    return { value: node.value, node };
  }

  #text(map: YAMLMap, key: string, oneLine: boolean, max: number): string | null {
    const found = this.#scalar(map, key);
    if (!found) return null;
    if (typeof found.value !== 'string' && typeof found.value !== 'number') throw new RunbookFormatError(this.parsed.lineOf(found.node), `${key} must be text`);
    const value = oneLine ? String(found.value).replace(/\s+/g, ' ').trim() : String(found.value);
    if (value.length > max) throw new RunbookFormatError(this.parsed.lineOf(found.node), `${key} has at most ${max} characters`);
    return value;
  }

  #duration(map: YAMLMap, key: string): number | null {
    const found = this.#scalar(map, key);
    if (!found) return null;
    const seconds = parseDuration(String(found.value));
    if (seconds === undefined || (seconds !== null && (seconds < 1 || seconds > LIMITS.durationSeconds))) {
      throw new RunbookFormatError(this.parsed.lineOf(found.node), `${key} "${String(found.value)}" is not a duration between 1s and 7 days (write e.g. 10m, 1h30m or 90s)`);
    }
    return seconds;
  }

  section(node: YamlNode, index: number): RunbookSection {
    const map = this.#map(node, 'section', SECTION_KEYS);
    const title = this.#text(map, 'title', true, LIMITS.title) ?? '';
    if (title === '' && index > 0) throw new RunbookFormatError(this.parsed.lineOf(node), 'every section but the first needs a title');
    const stepsNode = map.get('steps', true) as YamlNode | undefined;
    let steps: RunbookStep[] = [];
    if (stepsNode !== undefined && !(isScalar(stepsNode) && stepsNode.value === null)) {
      if (!isSeq(stepsNode)) throw new RunbookFormatError(this.parsed.lineOf(stepsNode), 'steps must be a list');
      steps = stepsNode.items.map((item) => this.step(item as YamlNode));
    }
    return { title, notes: (this.#text(map, 'notes', false, LIMITS.text) ?? '').trimEnd(), steps, target: this.#duration(map, 'target') };
  }

  step(node: YamlNode): RunbookStep {
    this.steps += 1;
    const number = this.steps;
    const line = this.parsed.lineOf(node);
    if (number > LIMITS.steps) throw new RunbookFormatError(line, `a runbook has at most ${LIMITS.steps} steps`);
    // A bare string is a step with only a title.
    if (isScalar(node) && typeof node.value === 'string') {
      const title = node.value.replace(/\s+/g, ' ').trim();
      if (!title) throw new RunbookFormatError(line, `step ${number} needs a title`);
      return { title: title.slice(0, LIMITS.title), details: '', owner: null, expect: null, kind: 'manual', after: [] };
    }
    const map = this.#map(node, 'step', STEP_KEYS);
    const title = this.#text(map, 'title', true, LIMITS.title);
    if (!title) throw new RunbookFormatError(line, `step ${number} needs a title`);
    const owner = this.#text(map, 'owner', true, LIMITS.owner);
    if (owner !== null && /[(),]/.test(owner)) throw new RunbookFormatError(line, 'an owner may not contain commas or parentheses');
    const kindText = this.#text(map, 'kind', true, 40);
    let kind: StepKind = 'manual';
    if (kindText !== null) {
      const k = kindText.toLowerCase();
      const found = (STEP_KINDS as readonly string[]).includes(k) ? (k as StepKind) : KINDS[k];
      if (!found) throw new RunbookFormatError(this.parsed.lineOf(map.get('kind', true) as YamlNode), `unknown step kind "${kindText}" (use ${STEP_KINDS.join(', ')})`);
      kind = found;
    }
    const after = this.#after(map);
    const problem = dependencyProblem(number, after);
    if (problem) throw new RunbookFormatError(this.parsed.lineOf((map.get('after', true) as YamlNode | undefined) ?? node), problem);
    return {
      title,
      details: (this.#text(map, 'details', false, LIMITS.text) ?? '').trimEnd(),
      owner: owner || null,
      expect: this.#duration(map, 'expect'),
      kind,
      after,
    };
  }

  #after(map: YAMLMap): number[] {
    const node = map.get('after', true) as YamlNode | undefined;
    if (node === undefined || (isScalar(node) && node.value === null)) return [];
    const values: { value: unknown; node: YamlNode }[] = isSeq(node)
      ? node.items.map((item) => ({ value: isScalar(item) ? item.value : undefined, node: item as YamlNode }))
      : isScalar(node)
        ? String(node.value)
            .split(/[\s,]+/)
            .filter(Boolean)
            .map((value) => ({ value, node }))
        : [{ value: undefined, node }];
    const numbers = values.map(({ value, node: at }) => {
      const n = typeof value === 'number' ? value : Number(String(value).replace(/^#/, ''));
      if (!Number.isInteger(n) || n < 1) throw new RunbookFormatError(this.parsed.lineOf(at), `after takes step numbers, not "${String(value)}"`);
      return n;
    });
    return [...new Set(numbers)].sort((a, b) => a - b);
  }
}

export function exportYaml(doc: RunbookDoc): string {
  const plain: Record<string, unknown> = { title: doc.title };
  if (doc.services.length > 0) plain.services = doc.services;
  if (doc.tags.length > 0) plain.tags = doc.tags;
  plain.sections = doc.sections.map((section) => {
    const s: Record<string, unknown> = { title: section.title };
    if (section.target !== null) s.target = formatDuration(section.target);
    if (section.notes !== '') s.notes = section.notes;
    if (section.steps.length > 0) {
      s.steps = section.steps.map((step) => {
        const out: Record<string, unknown> = { title: step.title };
        if (step.owner !== null) out.owner = step.owner;
        if (step.expect !== null) out.expect = formatDuration(step.expect);
        if (step.kind !== 'manual') out.kind = step.kind;
        if (step.after.length > 0) out.after = step.after;
        if (step.details !== '') out.details = step.details;
        return out;
      });
    }
    return s;
  });
  const yaml = new Document(plain);
  for (const key of ['services', 'tags']) {
    const seq = yaml.get(key, true);
    if (isSeq(seq)) seq.flow = true;
  }
  // Short dependency lists read best inline: `after: [3, 5]`.
  const sections = yaml.get('sections', true);
  if (isSeq(sections)) {
    for (const section of sections.items) {
      const steps = isMap(section) ? section.get('steps', true) : null;
      if (!isSeq(steps)) continue;
      for (const step of steps.items) {
        const after = isMap(step) ? step.get('after', true) : null;
        if (isSeq(after)) after.flow = true;
      }
    }
  }
  const text = yaml.toString({ lineWidth: 0 });
  return doc.extra ? `${text}${doc.extra}\n` : text;
}
