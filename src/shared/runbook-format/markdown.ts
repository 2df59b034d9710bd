// Markdown runbooks: import accepts anything (steps where the convention marks them, every
// other block kept verbatim as section notes); export writes the convention so that
// importMarkdown(exportMarkdown(doc)) deep-equals doc. docs/runbook-format.md describes both.
import type { Heading, List, ListItem, Nodes, Paragraph, RootContent } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';
import {
  endsWithSectionGroup,
  endsWithStepGroup,
  formatDuration,
  formatStepAttributes,
  readSectionAttributes,
  readStepAttributes,
  RunbookFormatError,
  type StepAttributes,
} from './attributes.ts';
import { readFrontMatter, splitFrontMatter, writeFrontMatter } from './front-matter.ts';
import { dependencyProblem, LIMITS, type RunbookDoc, type RunbookSection, type RunbookStep } from './model.ts';

export interface ImportOptions {
  /** Used as the title when neither front matter nor a leading `# heading` gives one (e.g. a file name). */
  fallbackTitle?: string;
}

export interface ImportResult {
  doc: RunbookDoc;
  /** Things a person may want to know (nothing was dropped, but the shape may surprise). */
  warnings: string[];
}

export const UNTITLED_STEP = 'Untitled step';

/**
 * Written between notes that end with an indented code block and the step list: micromark reads
 * `5. step` right after such a block as a paragraph, which would turn steps into notes.
 */
export const STEPS_MARKER = '<!-- steps -->';

export function importMarkdown(input: string, options: ImportOptions = {}): ImportResult {
  const text = input.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const block = splitFrontMatter(text);
  const front = block ? readFrontMatter(block) : { title: null, services: [], tags: [], extra: '' };
  const source = block ? block.body : text;
  const lineOffset = block ? block.bodyLine - 1 : 0;
  const tree = fromMarkdown(source, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
  const reader = new SectionReader(source, lineOffset);

  let title = front.title;
  const nodes = tree.children;
  let first = 0;
  const lead = nodes[0];
  // A leading `# Title` is the runbook's title when the front matter gives none (or the same one).
  if (lead?.type === 'heading' && lead.depth === 1) {
    const headingText = reader.headingText(lead);
    if (title === null || title === headingText) {
      title = headingText || title;
      first = 1;
    }
  }
  for (const node of nodes.slice(first)) reader.add(node);
  const sections = reader.finish();
  const warnings: string[] = [];
  const steps = sections.reduce((n, s) => n + s.steps.length, 0);
  if (steps === 0) warnings.push('No steps found: task-list items (- [ ] …) and numbered items are steps; everything else became section notes.');
  return {
    doc: {
      title: clip(title || options.fallbackTitle?.trim() || 'Untitled runbook', LIMITS.title),
      services: front.services,
      tags: front.tags,
      extra: front.extra,
      sections,
    },
    warnings,
  };
}

function clip(text: string, max: number): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? one.slice(0, max).trimEnd() : one;
}

class SectionReader {
  readonly #sections: RunbookSection[] = [];
  #current: { section: RunbookSection; notes: string[] } | null = null;
  #steps = 0;

  constructor(
    readonly source: string,
    readonly lineOffset: number,
  ) {}

  line(node: { position?: { start: { line: number } } | undefined }): number {
    return (node.position?.start.line ?? 1) + this.lineOffset;
  }

  slice(from: Nodes, to: Nodes = from): string {
    return this.source.slice(from.position!.start.offset, to.position!.end.offset);
  }

  /** Inline content of a heading or paragraph, verbatim, on one line. */
  inlineText(node: Heading | Paragraph): string {
    const kids = node.children;
    if (kids.length === 0) return '';
    return this.slice(kids[0]!, kids[kids.length - 1]!).replace(/[ \t]*\n[ \t]*/g, ' ').trim();
  }

  headingText(node: Heading): string {
    return readSectionAttributes(this.inlineText(node), this.line(node)).title;
  }

  #open(): { section: RunbookSection; notes: string[] } {
    if (!this.#current) {
      // Content before the first heading: the one untitled section.
      this.#current = { section: { title: '', notes: '', steps: [], target: null }, notes: [] };
      this.#sections.push(this.#current.section);
    }
    return this.#current;
  }

  #close(): void {
    if (this.#current) this.#current.section.notes = this.#current.notes.join('\n\n');
  }

  add(node: RootContent): void {
    if (node.type === 'heading') {
      this.#close();
      const { title, target } = readSectionAttributes(this.inlineText(node), this.line(node));
      if (title.length > LIMITS.title) throw new RunbookFormatError(this.line(node), `a section title has at most ${LIMITS.title} characters`);
      const section: RunbookSection = { title: title || 'Untitled section', notes: '', steps: [], target };
      this.#current = { section, notes: [] };
      this.#sections.push(section);
      return;
    }
    const current = this.#open();
    // Export's own separator after an indented code block (see STEPS_MARKER): not content.
    if (node.type === 'html' && node.value === STEPS_MARKER) return;
    if (node.type !== 'list') {
      current.notes.push(this.slice(node));
      return;
    }
    // A run of list items that are not steps stays together as one verbatim note.
    let plain: ListItem[] = [];
    const flush = () => {
      if (plain.length > 0) current.notes.push(this.slice(plain[0]!, plain[plain.length - 1]!));
      plain = [];
    };
    for (const item of node.children) {
      if (isStep(node, item)) {
        flush();
        current.section.steps.push(this.#step(item));
      } else plain.push(item);
    }
    flush();
  }

  #step(item: ListItem): RunbookStep {
    this.#steps += 1;
    const number = this.#steps;
    if (number > LIMITS.steps) throw new RunbookFormatError(this.line(item), `a runbook has at most ${LIMITS.steps} steps`);
    const [head, ...rest] = item.children;
    let title = '';
    let attrs: StepAttributes = {};
    let line = this.line(item);
    let detailsFrom: number | null = null;
    if (head?.type === 'paragraph') {
      // Attributes end the first line, or (for a title wrapped over lines) the first paragraph.
      const start = head.children[0]!.position!.start.offset!;
      const end = head.children[head.children.length - 1]!.position!.end.offset!;
      const firstBreak = this.source.indexOf('\n', start);
      const firstLine = firstBreak >= 0 && firstBreak < end ? this.source.slice(start, firstBreak).trim() : null;
      const firstLineNo = (head.position?.start.line ?? 1) + this.lineOffset;
      if (firstLine !== null && endsWithStepGroup(firstLine)) {
        ({ title, attrs } = readStepAttributes(firstLine, firstLineNo));
        line = firstLineNo;
        detailsFrom = firstBreak + 1;
      } else {
        line = (head.position?.end.line ?? 1) + this.lineOffset;
        ({ title, attrs } = readStepAttributes(this.inlineText(head), line));
      }
    }
    if (title.length > LIMITS.title) throw new RunbookFormatError(line, `a step title has at most ${LIMITS.title} characters`);
    const after = attrs.after ?? [];
    const problem = dependencyProblem(number, after);
    if (problem) throw new RunbookFormatError(line, problem);
    const blocks = head?.type === 'paragraph' ? rest : item.children;
    const details = this.#details(item, blocks, detailsFrom);
    if (details.length > LIMITS.text) throw new RunbookFormatError(this.line(item), `step ${number} has more than ${LIMITS.text} characters of details`);
    return {
      title: title || UNTITLED_STEP,
      details,
      owner: attrs.owner ?? null,
      expect: attrs.expect ?? null,
      kind: attrs.kind ?? 'manual',
      after,
    };
  }

  /**
   * The item's content after its title, verbatim, with the item's indentation taken off.
   * `from` is where the content starts when it begins inside the title's paragraph.
   */
  #details(item: ListItem, blocks: readonly Nodes[], from: number | null): string {
    if (blocks.length === 0 && from === null) return '';
    const itemStart = item.position!.start.offset!;
    const indent = contentIndent(this.source, itemStart, item.position!.start.column - 1);
    let start: number;
    let sameLine = false;
    if (from !== null) start = from;
    else {
      const first = blocks[0]!;
      sameLine = first.position!.start.line === item.position!.start.line;
      start = sameLine ? first.position!.start.offset! : this.source.lastIndexOf('\n', first.position!.start.offset! - 1) + 1;
    }
    const end = blocks.length > 0 ? blocks[blocks.length - 1]!.position!.end.offset! : (item.children[0]!.position!.end.offset ?? start);
    const lines = this.source.slice(start, end).split('\n');
    const out = lines.map((text, i) => (i === 0 && sameLine ? text : dedent(text, indent)));
    return out.join('\n').replace(/^([ \t]*\n)+/, '').trimEnd();
  }

  finish(): RunbookSection[] {
    this.#close();
    return this.#sections;
  }
}

function isStep(list: List, item: ListItem): boolean {
  return list.ordered === true || (item.checked !== null && item.checked !== undefined);
}

/** Column where a list item's content starts: marker width plus 1–4 spaces (CommonMark §5.2). */
function contentIndent(source: string, itemStart: number, column: number): number {
  const m = /^([-+*]|\d{1,9}[.)])([ \t]*)/.exec(source.slice(itemStart, itemStart + 20));
  if (!m) return column + 2;
  const spaces = m[2]!.replace(/\t/g, '    ').length;
  const restOfLine = source.slice(itemStart + m[0].length, source.indexOf('\n', itemStart) < 0 ? undefined : source.indexOf('\n', itemStart));
  const gap = spaces === 0 || spaces > 4 || restOfLine.trim() === '' ? 1 : spaces;
  return column + m[1]!.length + gap;
}

/** Removes up to `columns` of leading whitespace (a tab counts to the next multiple of 4). */
function dedent(line: string, columns: number): string {
  let col = 0;
  let i = 0;
  while (i < line.length && col < columns) {
    const ch = line[i];
    if (ch === ' ') col += 1;
    else if (ch === '\t') col = col + 4 - (col % 4);
    else break;
    i += 1;
  }
  return line.slice(i);
}

export function exportMarkdown(doc: RunbookDoc): string {
  const sections: string[] = [];
  let number = 0;
  for (const section of doc.sections) {
    const blocks: string[] = [];
    if (section.title !== '') blocks.push(`## ${headingLine(section.title, section.target)}`);
    if (section.notes !== '') blocks.push(section.notes);
    const items = section.steps.map((step) => stepItem((number += 1), step));
    if (items.length > 0) {
      if (section.notes !== '' && endsWithIndentedCode(section.notes)) blocks.push(STEPS_MARKER);
      blocks.push(items.join('\n\n'));
    }
    if (blocks.length > 0) sections.push(blocks.join('\n\n'));
  }
  const body = sections.join('\n\n');
  return `${writeFrontMatter(doc)}${body ? `\n${body}\n` : ''}`;
}

function endsWithIndentedCode(markdown: string): boolean {
  const tree = fromMarkdown(markdown, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
  const last = tree.children[tree.children.length - 1];
  return last?.type === 'code' && !/^\s*(`{3,}|~{3,})/.test(markdown.slice(last.position!.start.offset));
}

function headingLine(title: string, target: number | null): string {
  if (target !== null) return `${title} (target: ${formatDuration(target)})`;
  // A title that itself ends like an attribute group gets an explicit empty target.
  return endsWithSectionGroup(title) ? `${title} (target: none)` : title;
}

function stepItem(number: number, step: RunbookStep): string {
  let attrs = formatStepAttributes(step);
  // Import reads only the last group: protect a title that ends like one.
  if (attrs === '' && endsWithStepGroup(step.title)) attrs = '(kind: manual)';
  const marker = `${number}. `;
  const head = `${marker}${step.title}${attrs ? ` ${attrs}` : ''}`;
  if (step.details === '') return head;
  const pad = ' '.repeat(marker.length);
  const body = step.details
    .split('\n')
    .map((l) => (l === '' ? '' : pad + l))
    .join('\n');
  return `${head}\n\n${body}`;
}
